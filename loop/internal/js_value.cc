#include "vow/loop/internal/js_value.h"

#include <cxxabi.h>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>

#include "vow/loop/event_emitter.h"
#include "vow/promise/internal/exceptions.h"

namespace vow::internal {

std::string jsNumberToString(double value) {
  // ECMAScript Number::toString(10): the shortest digits s (k of them) with value =
  // s * 10^(n - k), then fixed notation for -6 < n <= 21 and exponential otherwise.
  if (std::isnan(value)) return "NaN";
  if (value == 0) return "0";
  if (value < 0) return "-" + jsNumberToString(-value);
  if (std::isinf(value)) return "Infinity";
  char buf[64];
  // Shortest round-trip digits, as "d.ddde+XX".
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
  std::string text(buf, end);
  std::size_t e = text.find('e');
  std::string digits = text.substr(0, e);
  if (digits.size() > 1) digits.erase(1, 1);  // drop the '.'
  int n = std::atoi(text.c_str() + e + 1) + 1;
  int k = static_cast<int>(digits.size());
  if (k <= n && n <= 21) return digits + std::string(static_cast<std::size_t>(n - k), '0');
  if (0 < n && n <= 21) return digits.substr(0, n) + "." + digits.substr(n);
  if (-6 < n && n <= 0) return "0." + std::string(static_cast<std::size_t>(-n), '0') + digits;
  std::string exponent = (n - 1 >= 0 ? "+" : "-") + std::to_string(std::abs(n - 1));
  if (k == 1) return digits + "e" + exponent;
  return digits.substr(0, 1) + "." + digits.substr(1) + "e" + exponent;
}

std::string inspectString(std::string_view text) {
  // util.inspect picks single quotes, or double quotes when the text holds a single quote
  // (and no double quote), else backticks; it escapes the chosen quote, backslash and newline.
  char quote = '\'';
  if (text.find('\'') != std::string_view::npos) {
    if (text.find('"') == std::string_view::npos) {
      quote = '"';
    } else if (text.find('`') == std::string_view::npos) {
      quote = '`';
    }
  }
  std::string out(1, quote);
  for (char c : text) {
    if (c == quote || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  out += quote;
  return out;
}

std::string typeName(const std::type_info& type) { return demangle(type); }

std::string stringifyThrownValue(const std::exception_ptr& value) {
  if (!value) return "undefined";
#if !VOW_HAS_EXCEPTIONS
  return "[object Object]";  // unreachable: without exceptions an exception_ptr is null
#else
  // Standard C++ reveals a thrown value's type only to a catch clause: try the types a port
  // throws or rejects with; any other is named after its class, as String({}) is
  // "[object Object]".
  try {
    std::rethrow_exception(value);
  } catch (bool b) {
    return b ? "true" : "false";
  } catch (int v) {
    return std::to_string(v);
  } catch (long v) {
    return std::to_string(v);
  } catch (long long v) {
    return std::to_string(v);
  } catch (unsigned v) {
    return std::to_string(v);
  } catch (unsigned long v) {
    return std::to_string(v);
  } catch (unsigned long long v) {
    return std::to_string(v);
  } catch (double v) {
    return jsNumberToString(v);
  } catch (float v) {
    return jsNumberToString(v);
  } catch (const char* s) {
    return s != nullptr ? s : "null";
  } catch (const std::string& s) {
    return s;
  } catch (std::nullptr_t) {
    return "null";
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    const std::type_info* type = abi::__cxa_current_exception_type();
    return "[object " + (type != nullptr ? typeName(*type) : std::string("Object")) + "]";
  }
#endif
}

}  // namespace vow::internal
