#include "vow/loop/event_emitter.h"

#include <cxxabi.h>

#include <algorithm>
#include <cstdlib>
#include <typeinfo>

#include "vow/loop/loop.h"
#include "vow/promise/internal/exceptions.h"

namespace vow {

namespace internal {

std::string demangle(const std::type_info& type) {
  int status = 0;
  char* name = abi::__cxa_demangle(type.name(), nullptr, nullptr, &status);
  std::string out = status == 0 && name != nullptr ? name : type.name();
  std::free(name);
  // Spell std::string as people write it.
  const std::string long_string =
      "std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >";
  for (std::size_t pos; (pos = out.find(long_string)) != std::string::npos;) {
    out.replace(pos, long_string.size(), "std::string");
  }
  // Old demanglers write "> >": close it up.
  for (std::size_t pos; (pos = out.find(" >")) != std::string::npos;) out.erase(pos, 1);
  // The signature is a std::tuple<...>: show it as a parameter list.
  const std::string prefix = "std::tuple<";
  if (out.compare(0, prefix.size(), prefix) == 0 && out.back() == '>') {
    out = "(" + out.substr(prefix.size(), out.size() - prefix.size() - 1) + ")";
  }
  return out;
}

}  // namespace internal

EventEmitter::ListenerId EventEmitter::insert(std::string_view name,
                                              std::shared_ptr<internal::ListenerBase> l,
                                              bool prepend) {
  if (const List* existing = find(name);
      existing != nullptr && !existing->empty() && *existing->front()->signature != *l->signature) {
    throwMismatch(name, *existing->front()->signature, *l->signature);
  }
  for (const auto& [declared_name, signature] : declared_) {
    if (declared_name == name && *signature != *l->signature) {
      throwMismatch(name, *signature, *l->signature);
    }
  }
  l->id = next_id_++;
  const ListenerId id = l->id;
  // Node emits 'newListener' before adding (so a 'newListener' listener added now does not
  // hear about itself), and only when it has listeners.
  if (listenerCount("newListener") > 0) emit("newListener", std::string(name), id);
  auto it = events_.find(name);
  if (it == events_.end()) it = events_.emplace(std::string(name), Entry{{}, next_order_++}).first;
  List& list = mutableList(it->second);
  if (prepend) {
    list.insert(list.begin(), std::move(l));
  } else {
    list.push_back(std::move(l));
  }
  if (!it->second.warned) warnIfTooMany(name, it->second);
  return id;
}

void EventEmitter::warnIfTooMany(std::string_view name, Entry& entry) {
  const std::size_t max = getMaxListeners();
  const std::size_t count = entry.list->size();
  if (max == 0 || count <= max) return;
  entry.warned = true;
  // Node names the emitter by its class: [EventEmitter], [ReadStream]...
  std::string type = internal::demangle(typeid(*this));
  if (std::size_t colon = type.rfind("::"); colon != std::string::npos) type.erase(0, colon + 2);
  Loop::current().process().emitWarning(
      "Possible EventEmitter memory leak detected. " + std::to_string(count) + " " +
          std::string(name) + " listeners added to [" + type + "]. MaxListeners is " +
          std::to_string(max) + ". Use emitter.setMaxListeners() to increase limit",
      "MaxListenersExceededWarning");
}

EventEmitter& EventEmitter::setMaxListeners(int n) {
  if (n < 0) {
    VOW_THROW(
        RangeError("The value of \"setMaxListeners\" is out of range. It must be >= 0. Received " +
                       std::to_string(n),
                   "ERR_OUT_OF_RANGE"));
  }
  max_listeners_ = static_cast<std::size_t>(n);
  max_listeners_set_ = true;
  return *this;
}

const EventEmitter::Entry* EventEmitter::findEntry(std::string_view name) const {
  if (cache_.entry != nullptr && cache_.key == name) return cache_.entry;
  auto it = events_.find(name);
  if (it == events_.end()) return nullptr;
  cache_.key = it->first;
  cache_.entry = &it->second;
  return cache_.entry;
}

const EventEmitter::List* EventEmitter::find(std::string_view name) const {
  const Entry* entry = findEntry(name);
  return entry == nullptr ? nullptr : entry->list.get();
}

EventEmitter::List& EventEmitter::mutableList(Entry& entry) {
  // use_count() > 1: an emit is running over this list (it holds a reference).
  if (entry.list == nullptr) {
    entry.list = std::make_shared<List>();
  } else if (entry.list.use_count() > 1) {
    entry.list = std::make_shared<List>(*entry.list);
  }
  // Only this entry refers to it now (emits take their reference from the entry).
  return const_cast<List&>(*entry.list);
}

void EventEmitter::remove(std::string_view name, const internal::ListenerBase* l) {
  auto it = events_.find(name);
  if (it == events_.end()) return;
  List& list = mutableList(it->second);
  ListenerId id = 0;
  for (auto i = list.size(); i-- > 0;) {
    if (list[i].get() == l) {
      id = l->id;
      list.erase(list.begin() + static_cast<std::ptrdiff_t>(i));
      break;
    }
  }
  if (list.empty()) {
    if (cache_.entry == &it->second) cache_.entry = nullptr;
    events_.erase(it);
  }
  // After removing, and only when 'removeListener' (still) has listeners, as Node does.
  if (id != 0 && listenerCount("removeListener") > 0) emit("removeListener", std::string(name), id);
}

bool EventEmitter::off(std::string_view name, ListenerId id) {
  auto it = events_.find(name);
  if (it == events_.end()) return false;
  for (const auto& l : *it->second.list) {
    if (l->id == id) {
      remove(name, l.get());
      return true;
    }
  }
  return false;
}

bool EventEmitter::offIdentity(std::string_view name, const void* identity) {
  auto it = events_.find(name);
  if (it == events_.end() || identity == nullptr) return false;
  const List& list = *it->second.list;
  for (auto i = list.size(); i-- > 0;) {  // the most recently added, as Node does
    if (list[i]->identity == identity) {
      remove(name, list[i].get());
      return true;
    }
  }
  return false;
}

void EventEmitter::removeAllListeners(std::string_view name) {
  if (listenerCount("removeListener") == 0) {
    if (auto it = events_.find(name); it != events_.end()) {
      if (cache_.entry == &it->second) cache_.entry = nullptr;
      events_.erase(it);
    }
    return;
  }
  // The listeners there now (Node takes the array first), last added first, each with its
  // 'removeListener'; listeners those handlers add stay.
  const List* found = find(name);
  if (found == nullptr) return;
  const List snapshot = *found;
  for (auto i = snapshot.size(); i-- > 0;) remove(name, snapshot[i].get());
}

void EventEmitter::removeAllListeners() {
  if (listenerCount("removeListener") == 0) {
    cache_.entry = nullptr;
    events_.clear();
    return;
  }
  for (const std::string& name : eventNames()) {
    if (name != "removeListener") removeAllListeners(name);
  }
  removeAllListeners("removeListener");
}

std::size_t EventEmitter::listenerCount(std::string_view name) const {
  const List* list = find(name);
  return list == nullptr ? 0 : list->size();
}

std::vector<std::string> EventEmitter::eventNames() const {
  // Node lists names in the order they got their first listener.
  std::vector<std::pair<std::uint64_t, std::string>> ordered;
  for (const auto& [name, entry] : events_) ordered.emplace_back(entry.order, name);
  std::sort(ordered.begin(), ordered.end());
  std::vector<std::string> names;
  for (auto& [order, name] : ordered) names.push_back(std::move(name));
  return names;
}

void EventEmitter::throwMismatch(std::string_view name, const std::type_info& listener,
                                 const std::type_info& emitted) {
  VOW_THROW(TypeError("EventEmitter: event '" + std::string(name) + "' has listeners taking " +
                          internal::demangle(listener) + ", but got " + internal::demangle(emitted),
                      "ERR_INVALID_ARG_TYPE"));
}

void EventEmitter::throwUnhandled(const std::string& inspected) {
  VOW_THROW(Exception("Unhandled error. (" + inspected + ")", "ERR_UNHANDLED_ERROR"));
}

}  // namespace vow
