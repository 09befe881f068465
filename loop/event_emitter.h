// vow::EventEmitter: Node's events.EventEmitter, type-safe, and vow::once(emitter, name).
//
//   vow::EventEmitter e;
//   e.on("data", [](const std::string& chunk, int n) { ... });
//   e.emit("data", "abc", 3);             // true: a listener ran (synchronously)
//
// Events are named by strings as in Node. Each event has one signature: the parameter types of
// its listeners (with const/references removed). Arguments are normalised before they are
// compared: string literals, char pointers and std::string_view become std::string, exception
// objects become vow::Error. Registering a listener whose signature differs from the event's
// other listeners, or emitting arguments of other types than the listeners take, throws
// vow::TypeError (code ERR_INVALID_ARG_TYPE) naming both signatures, before any listener runs.
// Listeners must have concrete parameter types (no `auto`), so their signature can be read.
//
// As in Node, adding a listener first emits 'newListener' and removing one (also a once
// listener just before it runs) then emits 'removeListener', each only when that event has
// listeners. Their listeners take (const std::string& eventName, vow::EventEmitter::ListenerId
// id): the id on() returned, where Node passes the function. More than getMaxListeners()
// listeners for one event (10 by default) emits one MaxListenersExceededWarning per event
// (Process::emitWarning: on the next tick, as Node's).
//
// Not thread-safe: an emitter belongs to one thread, like the promises its listeners touch.
#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <typeinfo>
#include <utility>
#include <vector>

#include "vow/loop/abort_controller.h"
#include "vow/loop/internal/js_value.h"
#include "vow/promise/error.h"
#include "vow/promise/promise.h"

namespace vow {

namespace internal {

template <class T>
struct EventArgImpl {
  using type = T;
};
template <>
struct EventArgImpl<const char*> {
  using type = std::string;
};
template <>
struct EventArgImpl<char*> {
  using type = std::string;
};
template <>
struct EventArgImpl<std::string_view> {
  using type = std::string;
};
// The type an argument or listener parameter has in an event's signature.
template <class T, class D = std::decay_t<T>>
using EventArg = typename std::conditional_t<std::is_base_of_v<std::exception, D>,
                                             std::type_identity<Error>, EventArgImpl<D>>::type;

template <class... A>
struct ArgList {};

template <class M>
struct MemberArgs;
template <class R, class C, class... A>
struct MemberArgs<R (C::*)(A...)> {
  using type = ArgList<A...>;
};
template <class R, class C, class... A>
struct MemberArgs<R (C::*)(A...) const> {
  using type = ArgList<A...>;
};
template <class R, class C, class... A>
struct MemberArgs<R (C::*)(A...) noexcept> {
  using type = ArgList<A...>;
};
template <class R, class C, class... A>
struct MemberArgs<R (C::*)(A...) const noexcept> {
  using type = ArgList<A...>;
};

template <class F, class = void>
struct CallableArgs {
  static_assert(sizeof(F) == 0,
                "vow::EventEmitter: a listener needs concrete parameter types (no `auto` "
                "parameters, one operator()), so the event's signature can be checked");
};
template <class F>
struct CallableArgs<F, std::void_t<decltype(&F::operator())>> {
  using type = typename MemberArgs<decltype(&F::operator())>::type;
};
template <class R, class... A>
struct CallableArgs<R (*)(A...), void> {
  using type = ArgList<A...>;
};
template <class R, class... A>
struct CallableArgs<R (*)(A...) noexcept, void> {
  using type = ArgList<A...>;
};

std::string demangle(const std::type_info& type);

struct ListenerBase {
  virtual ~ListenerBase() = default;
  virtual void call(void* args) = 0;  // args: the event's std::tuple<EventArg<...>...>
  const std::type_info* signature = nullptr;
  std::uint64_t id = 0;
  const void* identity = nullptr;  // the function pointer, for off(name, fn)
  bool once = false;
  bool fired = false;
};

template <class F, class Tuple>
struct ListenerImpl final : ListenerBase {
  explicit ListenerImpl(F&& fn) : f(std::move(fn)) {}
  void call(void* args) override { std::apply(f, *static_cast<Tuple*>(args)); }
  F f;
};

template <class F, class... P>
auto makeListener(F&& fn, ArgList<P...>) {
  using Tuple = std::tuple<EventArg<P>...>;
  static_assert(std::is_invocable_v<std::decay_t<F>&, EventArg<P>&...>,
                "vow::EventEmitter: a listener's parameters must accept lvalues (take them by "
                "value or const reference, not by rvalue reference)");
  auto l = std::make_shared<ListenerImpl<std::decay_t<F>, Tuple>>(std::forward<F>(fn));
  l->signature = &typeid(Tuple);
  return l;
}

}  // namespace internal

class EventEmitter {
 public:
  using ListenerId = std::uint64_t;

  EventEmitter() = default;
  EventEmitter(const EventEmitter&) = delete;
  EventEmitter& operator=(const EventEmitter&) = delete;
  EventEmitter(EventEmitter&&) = default;
  EventEmitter& operator=(EventEmitter&&) = default;
  virtual ~EventEmitter() = default;

  // Node: emitter.on(name, listener) / addListener. Appends; the same function may be added
  // several times. Returns an id for off(name, id) (lambdas have no identity to compare).
  template <class F>
  ListenerId on(std::string_view name, F&& listener) {
    return add(name, std::forward<F>(listener), false, false);
  }
  template <class F>
  ListenerId addListener(std::string_view name, F&& listener) {
    return on(name, std::forward<F>(listener));
  }
  // Node: emitter.once(name, listener): removed just before it runs, at most one run.
  template <class F>
  ListenerId once(std::string_view name, F&& listener) {
    return add(name, std::forward<F>(listener), true, false);
  }
  // Node: emitter.prependListener / prependOnceListener.
  template <class F>
  ListenerId prependListener(std::string_view name, F&& listener) {
    return add(name, std::forward<F>(listener), false, true);
  }
  template <class F>
  ListenerId prependOnceListener(std::string_view name, F&& listener) {
    return add(name, std::forward<F>(listener), true, true);
  }

  // Node: emitter.off(name, listener) / removeListener: removes the most recently added
  // registration of that function (or the registration with that id). False if none matched.
  bool off(std::string_view name, ListenerId id);
  template <class R, class... A>
  bool off(std::string_view name, R (*fn)(A...)) {
    return offIdentity(name, reinterpret_cast<const void*>(fn));
  }
  template <class L>
  bool removeListener(std::string_view name, L&& listener) {
    return off(name, std::forward<L>(listener));
  }
  // Node: emitter.removeAllListeners([name]): last added first, each with its
  // 'removeListener' (without a name: every event, 'removeListener' itself last).
  void removeAllListeners(std::string_view name);
  void removeAllListeners();

  // Node: emitter.setMaxListeners(n) / getMaxListeners(). 0 means no limit; a negative n throws
  // vow::RangeError ERR_OUT_OF_RANGE. Node: EventEmitter.defaultMaxListeners, for emitters
  // that never set their own (read when a listener is added; one thread should own it).
  EventEmitter& setMaxListeners(int n);
  std::size_t getMaxListeners() const noexcept {
    return max_listeners_set_ ? max_listeners_ : defaultMaxListeners;
  }
  static inline std::size_t defaultMaxListeners = 10;

  // Node: emitter.emit(name, ...args): calls the listeners registered at this moment (a
  // snapshot), synchronously, in order; returns whether there were any. Emitting "error" with
  // no listener throws the error (a vow::Error is rethrown as its exception); any other value,
  // or none, throws vow::Exception ERR_UNHANDLED_ERROR "Unhandled error. (42)" as Node does.
  template <class... A>
  bool emit(std::string_view name, A&&... args);

  // Node: emitter.listenerCount(name), emitter.eventNames().
  std::size_t listenerCount(std::string_view name) const;
  std::vector<std::string> eventNames() const;

 protected:
  // For emitters whose events are fixed (vow::Process): listeners of `name` must take `A...`;
  // one that does not is refused when it is added, not when the event is emitted.
  template <class... A>
  void declareEvent(std::string_view name) {
    declared_.emplace_back(std::string(name), &typeid(std::tuple<internal::EventArg<A>...>));
  }

  // emit(name, args...) with the arguments already in the tuple the listeners are called with
  // (std::tuple<EventArg<A>...>), which the caller keeps: a hot event can reuse the storage of
  // its arguments (a line's string) from one emit to the next. Listeners see the same lvalues
  // as with emit. Not for "error" (no listener returns false here, it does not throw).
  template <class Tuple>
  bool emitTuple(std::string_view name, Tuple& args) {
    const Entry* entry = findEntry(name);
    if (entry == nullptr) return false;
    return dispatch(name, entry->list, args);
  }

 private:
  using List = std::vector<std::shared_ptr<internal::ListenerBase>>;

  template <class F>
  ListenerId add(std::string_view name, F&& listener, bool once, bool prepend) {
    using Fn = std::decay_t<F>;
    auto l = internal::makeListener(std::forward<F>(listener),
                                    typename internal::CallableArgs<Fn>::type{});
    if constexpr (std::is_pointer_v<Fn>) {
      l->identity = reinterpret_cast<const void*>(static_cast<Fn>(l->f));
    }
    l->once = once;
    return insert(name, std::move(l), prepend);
  }
  ListenerId insert(std::string_view name, std::shared_ptr<internal::ListenerBase> l, bool prepend);
  bool offIdentity(std::string_view name, const void* identity);
  // Removes `l` and emits 'removeListener' for it.
  void remove(std::string_view name, const internal::ListenerBase* l);
  const List* find(std::string_view name) const;
  struct Entry;
  const Entry* findEntry(std::string_view name) const;
  // The list of `entry` for changing it: copied first while an emit holds it (copy on write:
  // an emit calls the listeners there were when it began, whatever they add or remove).
  static List& mutableList(Entry& entry);
  template <class Tuple>
  bool dispatch(std::string_view name, const std::shared_ptr<const List>& list, Tuple& args);
  [[noreturn]] static void throwMismatch(std::string_view name, const std::type_info& listener,
                                         const std::type_info& emitted);
  [[noreturn]] static void throwUnhandled(const std::string& inspected);

  struct Entry {
    // Never empty (an event without listeners has no entry). Shared with the emits running
    // over it, which hold it instead of copying it.
    std::shared_ptr<const List> list;
    std::uint64_t order = 0;  // when the name got its first listener (eventNames order)
    bool warned = false;      // MaxListenersExceededWarning emitted for this event
  };
  // The entry found last: emit on one event over and over (a stream's 'data', readline's
  // 'line') compares one name instead of walking the map. `key` views the map's own key. A
  // move forgets it on both sides (the nodes went with the map).
  struct FindCache {
    std::string_view key;
    const Entry* entry = nullptr;
    FindCache() = default;
    FindCache(FindCache&& other) noexcept { other.entry = nullptr; }
    FindCache& operator=(FindCache&& other) noexcept {
      entry = other.entry = nullptr;
      return *this;
    }
  };
  void warnIfTooMany(std::string_view name, Entry& entry);
  std::map<std::string, Entry, std::less<>> events_;
  mutable FindCache cache_;
  std::vector<std::pair<std::string, const std::type_info*>> declared_;
  std::uint64_t next_order_ = 0;
  ListenerId next_id_ = 1;
  std::size_t max_listeners_ = 0;
  bool max_listeners_set_ = false;
};

template <class... A>
bool EventEmitter::emit(std::string_view name, A&&... args) {
  using Tuple = std::tuple<internal::EventArg<A>...>;
  const Entry* entry = findEntry(name);
  if (entry == nullptr) {
    if (name == "error") {
      // Node: an Error is thrown as itself; any other value (or none) as ERR_UNHANDLED_ERROR
      // with util.inspect of the value: `Unhandled error. (42)`, `Unhandled error. (undefined)`.
      if constexpr (sizeof...(A) >= 1) {
        using First = std::tuple_element_t<0, Tuple>;
        Tuple t(std::forward<A>(args)...);
        if constexpr (std::is_same_v<First, Error>) {
          if (std::get<0>(t)) std::get<0>(t).rethrow();
          throwUnhandled("undefined");
        } else {
          throwUnhandled(internal::inspectValue(std::get<0>(t)));
        }
      } else {
        throwUnhandled("undefined");
      }
    }
    return false;
  }
  Tuple t(std::forward<A>(args)...);
  return dispatch(name, entry->list, t);
}

template <class Tuple>
bool EventEmitter::dispatch(std::string_view name, const std::shared_ptr<const List>& list,
                            Tuple& args) {
  // The snapshot Node takes (arrayClone) is this reference: adding or removing a listener
  // while it runs copies the list first (mutableList), so this one does not change.
  const std::shared_ptr<const List> snapshot = list;
  for (const auto& l : *snapshot) {
    if (*l->signature != typeid(Tuple)) throwMismatch(name, *l->signature, typeid(Tuple));
  }
  for (const auto& l : *snapshot) {
    if (l->once) {
      if (l->fired) continue;
      l->fired = true;
      remove(name, l.get());
    }
    l->call(&args);
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Compile-time typed events: declare each event's name and argument types once, and a wrong
// event name or argument type fails to compile.
//
//   using Events = vow::TypedEventEmitter<vow::Event<"data", std::string, int>,
//                                         vow::Event<"end">>;
//   Events e;
//   e.on<"data">([](const std::string& s, int n) { ... });
//   e.emit<"data">("abc", 3);        // arguments convert to the declared types
//   e.emit<"data">(3);               // does not compile: "data" takes (std::string, int)

// A string literal as a template argument (an event name).
template <std::size_t N>
struct EventName {
  char chars[N]{};
  constexpr EventName(const char (&text)[N]) {  // NOLINT(google-explicit-constructor)
    for (std::size_t i = 0; i < N; ++i) chars[i] = text[i];
  }
  constexpr std::string_view view() const { return std::string_view(chars, N - 1); }
};

// One event of a TypedEventEmitter: its name and argument types.
template <EventName Name, class... Args>
struct Event {
  static constexpr std::string_view name() { return Name.view(); }
  using Tuple = std::tuple<Args...>;
};

namespace internal {
template <EventName Name, class... Events>
struct FindEvent;
template <EventName Name>
struct FindEvent<Name> {
  using type = void;
};
template <EventName Name, class First, class... Rest>
struct FindEvent<Name, First, Rest...> {
  using type = std::conditional_t<First::name() == Name.view(), First,
                                  typename FindEvent<Name, Rest...>::type>;
};

template <class F, class Tuple>
struct InvocableWithTuple;
template <class F, class... A>
struct InvocableWithTuple<F, std::tuple<A...>> : std::is_invocable<F&, const A&...> {};
}  // namespace internal

template <class... Events>
class TypedEventEmitter {
  template <EventName Name>
  using EventOf = typename internal::FindEvent<Name, Events...>::type;
  template <EventName Name>
  static constexpr bool kKnown = !std::is_void_v<EventOf<Name>>;

 public:
  using ListenerId = EventEmitter::ListenerId;

  template <EventName Name, class F>
  ListenerId on(F&& listener) {
    return add<Name>(std::forward<F>(listener), false, false);
  }
  template <EventName Name, class F>
  ListenerId once(F&& listener) {
    return add<Name>(std::forward<F>(listener), true, false);
  }
  template <EventName Name, class F>
  ListenerId prependListener(F&& listener) {
    return add<Name>(std::forward<F>(listener), false, true);
  }
  template <EventName Name>
  bool off(ListenerId id) {
    static_assert(kKnown<Name>, "TypedEventEmitter: no event of that name is declared");
    return emitter_.off(Name.view(), id);
  }
  // Converts the arguments to the event's declared types, then emits.
  template <EventName Name, class... A>
  bool emit(A&&... args) {
    static_assert(kKnown<Name>, "TypedEventEmitter: no event of that name is declared");
    using Tuple = typename EventOf<Name>::Tuple;
    static_assert(std::is_constructible_v<Tuple, A&&...>,
                  "TypedEventEmitter::emit: the arguments do not convert to the event's "
                  "declared argument types");
    return std::apply(
        [&](auto&&... converted) {
          return emitter_.emit(Name.view(), std::forward<decltype(converted)>(converted)...);
        },
        Tuple(std::forward<A>(args)...));
  }
  template <EventName Name>
  std::size_t listenerCount() const {
    static_assert(kKnown<Name>, "TypedEventEmitter: no event of that name is declared");
    return emitter_.listenerCount(Name.view());
  }
  // The untyped emitter underneath (for vow::once and code written against EventEmitter).
  EventEmitter& untyped() noexcept { return emitter_; }

 private:
  template <EventName Name, class F>
  ListenerId add(F&& listener, bool once, bool prepend) {
    static_assert(kKnown<Name>, "TypedEventEmitter: no event of that name is declared");
    using Tuple = typename EventOf<Name>::Tuple;
    static_assert(internal::InvocableWithTuple<std::decay_t<F>, Tuple>::value,
                  "TypedEventEmitter: the listener cannot be called with the event's declared "
                  "argument types");
    return addWith(Name.view(), std::forward<F>(listener), once, prepend, (Tuple*)nullptr);
  }
  template <class F, class... A>
  ListenerId addWith(std::string_view name, F&& listener, bool once, bool prepend,
                     std::tuple<A...>*) {
    // A wrapper with exactly the declared parameter types, so the runtime check always agrees.
    auto wrapper = [f = std::forward<F>(listener)](const A&... args) mutable { f(args...); };
    if (prepend) return emitter_.prependListener(name, std::move(wrapper));
    return once ? emitter_.once(name, std::move(wrapper)) : emitter_.on(name, std::move(wrapper));
  }

  EventEmitter emitter_;
};

// Node: the options of events.once.
struct OnceOptions {
  // Node: options.signal. Already aborted: rejected at once with an AbortError (cause = the
  // reason) and no listener is added; aborted later: both listeners are removed and the promise
  // rejects with the AbortError.
  AbortSignalRef signal;
};

// Node: events.once(emitter, name[, {signal}]): a promise of the next emission's arguments (as
// a tuple of the event's types); rejected if "error" is emitted first. Both listeners are
// removed when either fires. As Node's (an async function returning a promise), it settles two
// ticks after the emission.
//
//   auto [name, count] = co_await vow::once<std::string, int>(e, "ready");
template <class... A>
Promise<std::tuple<A...>> once(EventEmitter& emitter, std::string name, OnceOptions options = {}) {
  using Result = std::tuple<A...>;
  const AbortSignal& signal = options.signal.get();
  if (signal.aborted()) return Promise<Result>::reject(internal::abortErrorOf(signal));
  auto [promise, resolve, reject] = Promise<Result>::withResolvers();
  struct Ids {
    EventEmitter::ListenerId event = 0, error = 0;
    internal::AbortRegistration abort;
  };
  auto ids = std::make_shared<Ids>();
  ids->event = emitter.once(name, [&emitter, ids, resolve](const A&... args) {
    if (ids->error != 0) emitter.off("error", ids->error);
    ids->abort.remove();
    resolve(Result(args...));
  });
  if (name != "error") {
    ids->error = emitter.once("error", [&emitter, ids, name, reject](const Error& err) {
      emitter.off(name, ids->event);
      ids->abort.remove();
      reject(err);
    });
  }
  if (signal) {
    const AbortSignal::ListenerId id =
        signal.addEventListener("abort",
                                [&emitter, ids, name, reject](const AbortEvent& event) {
                                  emitter.off(name, ids->event);
                                  if (ids->error != 0) emitter.off("error", ids->error);
                                  reject(internal::abortErrorOf(event.target));
                                },
                                {.once = true});
    ids->abort = internal::AbortRegistration(signal, id);
  }
  // The async function's promise, resolved with this one: adopted (two more ticks).
  auto [outer, resolve_outer, reject_outer] = Promise<Result>::withResolvers();
  resolve_outer(promise);
  return outer;
}

// events.once on a TypedEventEmitter: the event's declared types give the promise's type.
//
//   auto [text, n] = co_await vow::once<"data">(typed);
template <EventName Name, class... Events>
auto once(TypedEventEmitter<Events...>& emitter, OnceOptions options = {}) {
  using E = typename internal::FindEvent<Name, Events...>::type;
  static_assert(!std::is_void_v<E>, "vow::once: no event of that name is declared");
  return [&]<class... A>(std::tuple<A...>*) {
    return once<A...>(emitter.untyped(), std::string(Name.view()), std::move(options));
  }((typename E::Tuple*)nullptr);
}

}  // namespace vow
