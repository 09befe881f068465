// How JavaScript spells values in the texts Node prints (warnings, error messages), for the
// places where vow reproduces those texts with C++ values.
#pragma once

#include <cmath>
#include <cstddef>
#include <exception>
#include <string>
#include <string_view>
#include <type_traits>
#include <typeinfo>

namespace vow::internal {

// JavaScript's String(number): "2147483648", "2147483647.5", "1e+21", "Infinity", "NaN";
// -0 is "0".
std::string jsNumberToString(double value);

// Node's util.inspect of a string: 'text', or "it's" when the text holds a single quote.
std::string inspectString(std::string_view text);

// The demangled name of a C++ type ("Point", "std::vector<int>"...).
std::string typeName(const std::type_info& type);

// Node's util.inspect(value) as it appears in messages such as `Unhandled error. (42)`:
// numbers as JavaScript prints them (-0 as "-0"), true/false, null for nullptr, strings quoted;
// a value of any other C++ type is shown as an empty instance of its class, `Point {}`.
template <class T>
std::string inspectValue(const T& value) {
  using D = std::remove_cvref_t<T>;
  if constexpr (std::is_same_v<D, bool>) {
    return value ? "true" : "false";
  } else if constexpr (std::is_same_v<D, std::nullptr_t>) {
    return "null";
  } else if constexpr (std::is_arithmetic_v<D>) {
    if constexpr (std::is_floating_point_v<D>) {
      if (value == 0 && std::signbit(static_cast<double>(value))) return "-0";
    }
    return jsNumberToString(static_cast<double>(value));
  } else if constexpr (std::is_convertible_v<const D&, std::string_view>) {
    return inspectString(std::string_view(value));
  } else {
    return typeName(typeid(D)) + " {}";
  }
}

// JavaScript's String(reason) for a rejection reason that is not an error (a thrown or rejected
// value of another C++ type): 42, 1.5, text, true; other types as "[object Point]".
std::string stringifyThrownValue(const std::exception_ptr& value);

}  // namespace vow::internal
