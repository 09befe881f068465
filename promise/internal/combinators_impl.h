// The template bodies of vow/promise/combinators.h (all, allSettled, race, any), included at its
// end; not a header of its own. Users never include this.
#pragma once

namespace vow {

// A lone range-of-promises argument picks the range overload: a non-variadic template is more
// specialized than the variadic one, so the variadic overloads need no constraint.

namespace internal {

// Hands the fulfilled value of `s` to `sink`: a const reference, a std::monostate for void, or
// for a move-only T the value itself (then nobody else can take it). False if another consumer
// took a move-only value first.
template <class T, class Sink>
bool withValue(State<T>* s, Sink&& sink) {
  if constexpr (std::is_void_v<T>) {
    sink(std::monostate{});
  } else if constexpr (kCopyable<T>) {
    if (s->onlyHeldBy(1)) {
      sink(std::move(s->value()));  // only the reaction job holds it: nobody else can see it
    } else {
      sink(std::as_const(s->value()));
    }
  } else {
    if (!s->takeOnce()) return false;
    sink(std::move(s->value()));
  }
  return true;
}

// Async stack traces: how a combinator's input shows in a chain (V8: `at async Promise.all
// (index 1)`; race shows nothing and is passed through).
template <Combinator K>
bool describeCombinatorInput(RawAsyncFrame& f, std::size_t index) noexcept {
  if constexpr (K == Combinator::kRace) {
    return false;
  } else {
    f.kind = K == Combinator::kAll   ? RawAsyncFrame::kAll
             : K == Combinator::kAny ? RawAsyncFrame::kAny
                                     : RawAsyncFrame::kAllSettled;
    f.index = static_cast<std::uint32_t>(index);
    return true;
  }
}

// What a collecting combinator stores per input.
template <Combinator K, class T>
using Collected = std::conditional_t<K == Combinator::kAll, Element<T>, Settled<T>>;

// The result state of a combinator: a State<R> that is also the per-input logic. Every
// registered input reaction holds one settler reference to it, so when every input is
// abandoned, so is the result.
template <class Derived, Combinator K, class R>
class CombinatorState : public State<R> {
 public:
  bool waitsOnSeveral() const noexcept override { return true; }

 protected:
  static constexpr bool kCollects = K == Combinator::kAll || K == Combinator::kAllSettled;

  // Input `index` (a State<T>) settled: JS's resolveElement / reject / resolve functions.
  // `store(v)` keeps a collected value for `index`.
  template <class T, class Store>
  void inputSettled(std::size_t index, State<T>* s, Store&& store) noexcept {
    // Settled already (fail-fast, a lost race, any's winner): JS's calls are no-ops too.
    if (!this->isPending()) return;
    const bool fulfilled = s->status() == StateBase::kFulfilled;
    VOW_TRY {
      if constexpr (K == Combinator::kAll) {
        if (!fulfilled) {
          this->rejectIfUnlocked(s->reason());
          self().releaseStorage();
          return;
        }
        if (!withValue(s, store)) {
          this->rejectIfUnlocked(Error(TypeError(kValueTakenMessage)));
          self().releaseStorage();
          return;
        }
        if (--remaining_ == 0) self().finish();
      } else if constexpr (K == Combinator::kAllSettled) {
        if (!fulfilled) {
          store(Settled<T>::rejected(s->reason()));
        } else if (!withValue(s, [&](auto&& v) {
                     store(Settled<T>::fulfilled(std::forward<decltype(v)>(v)));
                   })) {
          store(Settled<T>::rejected(Error(TypeError(kValueTakenMessage))));
        }
        if (--remaining_ == 0) self().finish();
      } else {
        if (fulfilled) {
          if (!withValue(s, [&](auto&& v) { fulfill(std::forward<decltype(v)>(v)); })) {
            rejectOrCollect(index, Error(TypeError(kValueTakenMessage)));
          }
        } else {
          rejectOrCollect(index, s->reason());
        }
      }
    }
    VOW_CATCH_ALL {
      // Copying a value threw (JS has no such case): the result rejects with it.
      this->rejectIfUnlocked(Error::current());
    }
  }

  // No inputs at all.
  void settleEmpty() {
    if constexpr (kCollects) {
      this->resolveValue(R{});
    } else if constexpr (K == Combinator::kAny) {
      this->rejectIfUnlocked(Error(AggregateError({})));
    }
    // race: stays pending, settled by nothing.
  }

  // An input reacted or was dropped: release the settler reference it held. If the inputs left
  // can only settle through this result (a cycle), nothing can settle it any more.
  void inputDone() noexcept {
    this->addRef();
    this->releaseSettler();
    if (this->settlers() > 0) this->releaseIfStuckInCycle();
    this->release();
  }

  std::size_t remaining_ = 0;
  // any: the reasons, in input order.
  std::conditional_t<K == Combinator::kAny, std::vector<Error>, std::monostate> errors_;

 private:
  Derived& self() noexcept { return static_cast<Derived&>(*this); }

  template <class V>
  void fulfill(V&& v) {
    if constexpr (std::is_void_v<R>) {
      this->resolveValue();
    } else {
      this->resolveValue(std::forward<V>(v));
    }
    if constexpr (K == Combinator::kAny) errors_ = {};
  }

  void rejectOrCollect(std::size_t index, Error reason) {
    if constexpr (K == Combinator::kRace) {
      this->rejectIfUnlocked(std::move(reason));
    } else {
      errors_[index] = std::move(reason);
      if (--remaining_ == 0) this->rejectIfUnlocked(Error(AggregateError(std::move(errors_))));
    }
  }
};

template <Combinator K, class T>
struct RangeResult {
  using type = std::conditional_t<K == Combinator::kAll || K == Combinator::kAllSettled,
                                  std::vector<Collected<K, T>>, T>;
};

// The range form: the input reactions are one array of nodes, allocated once; collected
// values go straight into the result vector when the value type allows (else into the nodes).
template <Combinator K, class T>
class RangeCombinator final
    : public CombinatorState<RangeCombinator<K, T>, K, typename RangeResult<K, T>::type> {
  using R = typename RangeResult<K, T>::type;
  using Base = CombinatorState<RangeCombinator, K, R>;
  friend Base;
  using V = Collected<K, T>;
  static constexpr bool kInVector =
      Base::kCollects && std::is_default_constructible_v<V> && std::is_move_assignable_v<V>;
  static constexpr bool kInNodes = Base::kCollects && !kInVector;
  struct NoSlot {};

  class Node final : public Reaction {
   public:
    void react(StateBase* source) override {
      RangeCombinator* p = parent_;
      const std::size_t index = static_cast<std::size_t>(this - p->nodes_.get());
      p->inputSettled(index, static_cast<State<T>*>(source), [&](auto&& v) {
        if constexpr (kInVector) {
          p->values_[index] = std::forward<decltype(v)>(v);
        } else if constexpr (kInNodes) {
          slot_.emplace(std::forward<decltype(v)>(v));
        }
      });
      p->nodeDone();  // may free this node
      p->inputDone();
    }
    StateBase* waiter() noexcept override { return parent_; }
    // all, race and any can settle from any outstanding input; allSettled needs every one.
    bool waitsOnAll() const noexcept override { return K != Combinator::kAllSettled; }
    bool describeAsyncFrame(RawAsyncFrame& f) const noexcept override {
      return describeCombinatorInput<K>(f, static_cast<std::size_t>(this - parent_->nodes_.get()));
    }
    void drop() override {
      RangeCombinator* p = parent_;
      p->nodeDone();
      p->inputDone();
    }

    RangeCombinator* parent_ = nullptr;
    [[no_unique_address]] std::conditional_t<kInNodes, std::optional<V>, NoSlot> slot_;
  };

 public:
  // Registers a reaction on each of the `n` promises of `range`, in order.
  template <class Range>
  static Promise<R> start(Range&& range, std::size_t n) {
    auto* self = new RangeCombinator();
    Promise<R> result = adoptState<R>(self);  // frees it if an allocation below throws
    self->remaining_ = n;
    if (n == 0) {
      self->settleEmpty();
      return result;
    }
    self->nodes_.allocate(n);
    if constexpr (kInVector) self->values_.resize(n);
    if constexpr (K == Combinator::kAny) self->errors_.resize(n);
    self->size_ = n;
    self->live_ = n;
    self->addSettler();  // while registering, so the result is not abandoned midway
    std::size_t i = 0;
    VOW_TRY {
      for (auto it = std::ranges::begin(range); i < n && it != std::ranges::end(range); ++it) {
        auto&& input = *it;
        Node& node = self->nodes_[i];
        node.parent_ = self;
        self->addSettler();  // the reference the input's reaction list holds
        stateOf(input)->addReaction(&node);
        ++i;
      }
    }
    VOW_CATCH_ALL {
      // Iterating threw: JS's IfAbruptRejectPromise.
      self->rejectIfUnlocked(Error::current());
    }
    if (i < n) {  // nodes never registered
      self->live_ -= n - i;
      if (self->live_ == 0) self->nodes_.reset();
      if (self->isPending()) self->rejectIfUnlocked(Error(TypeError("vow: range ended early")));
    }
    self->releaseSettler();
    return result;
  }

 private:
  RangeCombinator() = default;

  void nodeDone() noexcept {
    if (--live_ == 0) nodes_.reset();  // every input reacted or was dropped
  }
  void releaseStorage() noexcept {
    if constexpr (kInVector) std::vector<V>().swap(values_);
  }
  void finish() {
    if constexpr (kInVector) {
      this->resolveValue(std::move(values_));
    } else if constexpr (kInNodes) {
      const std::size_t n = size_;
      R out;
      out.reserve(n);
      for (std::size_t i = 0; i < n; ++i) out.push_back(std::move(*nodes_[i].slot_));
      this->resolveValue(std::move(out));
    }
  }

  // The nodes, in one block (huge pages for a large all(): see bigAllocate).
  class NodeArray {
   public:
    NodeArray() = default;
    NodeArray(const NodeArray&) = delete;
    NodeArray& operator=(const NodeArray&) = delete;
    ~NodeArray() { reset(); }
    void allocate(std::size_t n) {
      nodes_ = static_cast<Node*>(bigAllocate(n * sizeof(Node)));
      for (std::size_t i = 0; i < n; ++i) ::new (static_cast<void*>(nodes_ + i)) Node();
      n_ = n;
    }
    void reset() noexcept {
      if (nodes_ == nullptr) return;
      for (std::size_t i = 0; i < n_; ++i) nodes_[i].~Node();
      bigFree(nodes_, n_ * sizeof(Node));
      nodes_ = nullptr;
    }
    Node* get() const noexcept { return nodes_; }
    Node& operator[](std::size_t i) const noexcept { return nodes_[i]; }

   private:
    Node* nodes_ = nullptr;
    std::size_t n_ = 0;
  };

  NodeArray nodes_;
  std::size_t size_ = 0;  // inputs
  std::size_t live_ = 0;  // nodes still registered on their input
  std::conditional_t<kInVector, std::vector<V>, std::monostate> values_;
};

template <Combinator K, class... Ts>
struct TupleResult {
  using type = CommonValueT<Ts...>;
};
template <class... Ts>
struct TupleResult<Combinator::kAll, Ts...> {
  using type = std::tuple<Element<Ts>...>;
};
template <class... Ts>
struct TupleResult<Combinator::kAllSettled, Ts...> {
  using type = std::tuple<Settled<Ts>...>;
};

// The variadic form: one allocation holding the result, a reaction node per input and the
// collected values.
template <Combinator K, class Seq, class... Ts>
class TupleCombinator;

template <Combinator K, std::size_t... Is, class... Ts>
class TupleCombinator<K, std::index_sequence<Is...>, Ts...> final
    : public CombinatorState<TupleCombinator<K, std::index_sequence<Is...>, Ts...>, K,
                             typename TupleResult<K, Ts...>::type> {
  using R = typename TupleResult<K, Ts...>::type;
  using Base = CombinatorState<TupleCombinator, K, R>;
  friend Base;
  template <std::size_t I>
  using T = std::tuple_element_t<I, std::tuple<Ts...>>;

  template <std::size_t I>
  class Node final : public Reaction {
   public:
    void react(StateBase* source) override {
      TupleCombinator* p = parent_;
      p->inputSettled(I, static_cast<State<T<I>>*>(source), [p](auto&& v) {
        if constexpr (Base::kCollects) std::get<I>(p->slots_).emplace(std::forward<decltype(v)>(v));
      });
      p->inputDone();
    }
    StateBase* waiter() noexcept override { return parent_; }
    // all, race and any can settle from any outstanding input; allSettled needs every one.
    bool waitsOnAll() const noexcept override { return K != Combinator::kAllSettled; }
    bool describeAsyncFrame(RawAsyncFrame& f) const noexcept override {
      return describeCombinatorInput<K>(f, I);
    }
    void drop() override { parent_->inputDone(); }

    TupleCombinator* parent_ = nullptr;
  };

 public:
  static Promise<R> start(Promise<Ts>... inputs) {
    auto* self = new TupleCombinator();
    Promise<R> result = adoptState<R>(self);
    self->addSettler();
    self->remaining_ = sizeof...(Ts);
    if constexpr (sizeof...(Ts) == 0) {
      self->settleEmpty();
    } else {
      if constexpr (K == Combinator::kAny) self->errors_.resize(sizeof...(Ts));
      (self->template attach<Is>(inputs), ...);
    }
    self->releaseSettler();
    return result;
  }

 private:
  TupleCombinator() = default;

  template <std::size_t I>
  void attach(const Promise<T<I>>& input) {
    auto& node = std::get<I>(nodes_);
    node.parent_ = this;
    this->addSettler();
    stateOf(input)->addReaction(&node);
  }
  void releaseStorage() noexcept {}
  void finish() { this->resolveValue(R(std::move(*std::get<Is>(slots_))...)); }

  std::tuple<Node<Is>...> nodes_;
  std::conditional_t<Base::kCollects, std::tuple<std::optional<Collected<K, Ts>>...>,
                     std::monostate>
      slots_;
};

// A variadic argument as a promise: itself, or JS's Promise.resolve(x) for a plain value.
template <class X>
Promise<PromiseValueT<X>> toPromise(X&& x) {
  if constexpr (IsPromise<std::remove_cvref_t<X>>::value) {
    return std::forward<X>(x);
  } else {
    return Promise<PromiseValueT<X>>::resolve(std::forward<X>(x));
  }
}

template <Combinator K, class... Xs>
auto startVariadic(Xs&&... xs) {
  static_assert(!(sizeof...(Xs) == 1 && (kIsNonPromiseRange<Xs> && ...)),
                "vow combinators: a range argument must hold vow::Promise<T> elements (wrap plain "
                "values with vow::Promise<T>::resolve), or pass the values as separate "
                "arguments.");
  return TupleCombinator<K, std::index_sequence_for<Xs...>, PromiseValueT<Xs>...>::start(
      toPromise(std::forward<Xs>(xs))...);
}

template <Combinator K, class Range>
auto startRange(Range&& range) {
  using T = RangePromiseValueT<Range>;
  if constexpr (std::ranges::sized_range<Range>) {
    const auto n = static_cast<std::size_t>(std::ranges::size(range));
    return RangeCombinator<K, T>::start(range, n);
  } else if constexpr (std::ranges::forward_range<Range>) {
    const auto n = static_cast<std::size_t>(std::ranges::distance(range));
    return RangeCombinator<K, T>::start(range, n);
  } else {
    // A single-pass range: collect the promises first (their reactions are then registered in
    // the same order, after the iteration rather than during it).
    std::vector<Promise<T>> collected;
    VOW_TRY {
      for (auto it = std::ranges::begin(range); it != std::ranges::end(range); ++it) {
        collected.push_back(*it);
      }
    }
    VOW_CATCH_ALL { return Promise<typename RangeResult<K, T>::type>::reject(Error::current()); }
    return RangeCombinator<K, T>::start(collected, collected.size());
  }
}

}  // namespace internal

template <class... Xs>
Promise<std::tuple<internal::Element<internal::PromiseValueT<Xs>>...>> all(Xs&&... xs) {
  return internal::startVariadic<internal::Combinator::kAll>(std::forward<Xs>(xs)...);
}
template <internal::PromiseRange R>
Promise<std::vector<internal::Element<internal::RangePromiseValueT<R>>>> all(R&& promises) {
  return internal::startRange<internal::Combinator::kAll>(std::forward<R>(promises));
}
template <class T>
Promise<std::vector<internal::Element<T>>> all(std::initializer_list<Promise<T>> promises) {
  return internal::startRange<internal::Combinator::kAll>(promises);
}

template <class... Xs>
Promise<std::tuple<Settled<internal::PromiseValueT<Xs>>...>> allSettled(Xs&&... xs) {
  return internal::startVariadic<internal::Combinator::kAllSettled>(std::forward<Xs>(xs)...);
}
template <internal::PromiseRange R>
Promise<std::vector<Settled<internal::RangePromiseValueT<R>>>> allSettled(R&& promises) {
  return internal::startRange<internal::Combinator::kAllSettled>(std::forward<R>(promises));
}
template <class T>
Promise<std::vector<Settled<T>>> allSettled(std::initializer_list<Promise<T>> promises) {
  return internal::startRange<internal::Combinator::kAllSettled>(promises);
}

template <class... Xs>
Promise<internal::CommonValueT<internal::PromiseValueT<Xs>...>> race(Xs&&... xs) {
  return internal::startVariadic<internal::Combinator::kRace>(std::forward<Xs>(xs)...);
}
template <internal::PromiseRange R>
Promise<internal::RangePromiseValueT<R>> race(R&& promises) {
  return internal::startRange<internal::Combinator::kRace>(std::forward<R>(promises));
}
template <class T>
Promise<T> race(std::initializer_list<Promise<T>> promises) {
  return internal::startRange<internal::Combinator::kRace>(promises);
}

template <class... Xs>
Promise<internal::CommonValueT<internal::PromiseValueT<Xs>...>> any(Xs&&... xs) {
  return internal::startVariadic<internal::Combinator::kAny>(std::forward<Xs>(xs)...);
}
template <internal::PromiseRange R>
Promise<internal::RangePromiseValueT<R>> any(R&& promises) {
  return internal::startRange<internal::Combinator::kAny>(std::forward<R>(promises));
}
template <class T>
Promise<T> any(std::initializer_list<Promise<T>> promises) {
  return internal::startRange<internal::Combinator::kAny>(promises);
}

}  // namespace vow
