// A tiny HTTP/1.1 server and client on the event loop's I/O watchers, for
// examples/blocking_vs_nonblocking_server.cc: just enough of Node's http module
// (http.createServer, server.listen, server.close, http.get) to show how a server shares one
// thread between many connections. Not a real HTTP implementation: GET requests without a
// body, responses with Content-Length, one request per connection ("Connection: close").
//
// How it works: every socket is non-blocking and has a vow::IoWatcher, so the loop calls us
// when a socket can be read or written (epoll) instead of a thread waiting on it. The listening
// socket's watcher accepts connections; each connection's watcher reads its request; the
// handler answers through a Response whenever it is ready (now, or after a co_await).
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "vow/fs/system_error.h"
#include "vow/loop/loop.h"
#include "vow/promise/promise.h"

namespace examples::http {

// An owned file descriptor, closed when it goes out of scope.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  Fd& operator=(Fd&& o) noexcept {
    std::swap(fd_, o.fd_);
    return *this;
  }
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_ = -1;
};

// Writes all of `data` to a connected socket. The messages here are a few hundred bytes, which
// a socket's send buffer always takes at once; a real server would watch for kWritable.
inline bool writeAll(int fd, const std::string& data) {
  std::size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::send(fd, data.data() + done, data.size() - done, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

// Node: the request object (req.method, req.url).
struct Request {
  std::string method;
  std::string url;
};

// One accepted connection: reads the request, then waits for the handler's answer.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  explicit Connection(Fd socket) : socket_(std::move(socket)) {}

  // Sends a 200 response with `body` and closes the connection.
  void respond(const std::string& body) {
    writeAll(socket_.get(), "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " +
                                std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" +
                                body);
    socket_ = Fd();
  }

  // Reads until the request head is complete, then calls `handler` (at most once).
  template <class Handler>
  void start(Handler handler) {
    watcher_ = vow::Loop::current().watch(
        socket_.get(), vow::kReadable,
        [self = shared_from_this(), handler](std::uint32_t) { self->onReadable(handler); });
  }

 private:
  template <class Handler>
  void onReadable(const Handler& handler);

  Fd socket_;
  vow::IoWatcher watcher_;
  std::string received_;
};

// Node: the response object; res.end(body) sends it. Keeps its connection open until then.
class Response {
 public:
  explicit Response(std::shared_ptr<Connection> connection) : connection_(std::move(connection)) {}
  void end(const std::string& body) {
    if (connection_) std::exchange(connection_, nullptr)->respond(body);
  }

 private:
  std::shared_ptr<Connection> connection_;
};

template <class Handler>
void Connection::onReadable(const Handler& handler) {
  char buffer[4096];
  ssize_t n = ::recv(socket_.get(), buffer, sizeof buffer, 0);
  if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;  // spurious wake-up: wait again
  if (n <= 0) {  // the client went away (or an error): drop the connection
    watcher_ = vow::IoWatcher();
    return;
  }
  received_.append(buffer, static_cast<std::size_t>(n));
  std::size_t head_end = received_.find("\r\n\r\n");
  if (head_end == std::string::npos) return;  // not all of the request yet
  // "GET /path HTTP/1.1"
  std::size_t space1 = received_.find(' ');
  std::size_t space2 = received_.find(' ', space1 + 1);
  Request request{received_.substr(0, space1), received_.substr(space1 + 1, space2 - space1 - 1)};
  // Done reading. Destroying the watcher inside its own callback is allowed; the Response
  // now holds the only reference to this connection.
  auto self = shared_from_this();
  watcher_ = vow::IoWatcher();
  handler(std::move(request), Response(std::move(self)));
}

// Node: http.createServer(handler). The handler takes (Request, Response), both by value: a
// coroutine handler keeps them in its frame while it is suspended.
class Server {
 public:
  using Handler = std::function<void(Request, Response)>;

  explicit Server(Handler handler) : handler_(std::move(handler)) {}
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Node: server.listen(port, host). Port 0 picks a free port (see port()). Throws a
  // vow::SystemError when the socket cannot be set up. (Node's listen completes in a callback;
  // here it completes before it returns.)
  void listen(int port, const std::string& host) {
    listener_ = Fd(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (listener_.get() < 0) throw vow::SystemError(errno, "socket");
    int on = 1;
    ::setsockopt(listener_.get(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    ::inet_pton(AF_INET, host.c_str(), &address.sin_addr);
    if (::bind(listener_.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) < 0) {
      throw vow::SystemError(errno, "bind");
    }
    if (::listen(listener_.get(), 128) < 0) throw vow::SystemError(errno, "listen");
    watcher_ = vow::Loop::current().watch(listener_.get(), vow::kReadable,
                                          [this](std::uint32_t) { acceptAll(); });
  }

  // Node: server.address().port.
  int port() const {
    sockaddr_in address{};
    socklen_t length = sizeof address;
    ::getsockname(listener_.get(), reinterpret_cast<sockaddr*>(&address), &length);
    return ntohs(address.sin_port);
  }

  // Node: server.close(): stops accepting; connections being answered finish.
  void close() {
    watcher_ = vow::IoWatcher();
    listener_ = Fd();
  }

 private:
  void acceptAll() {
    for (;;) {
      int fd = ::accept4(listener_.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) return;  // EAGAIN: no more waiting connections
      std::make_shared<Connection>(Fd(fd))->start(handler_);
    }
  }

  Handler handler_;
  Fd listener_;
  vow::IoWatcher watcher_;
};

// One client request in flight: connect, send the request, read the response to its end.
class ClientRequest : public std::enable_shared_from_this<ClientRequest> {
 public:
  ClientRequest(std::string host, int port, std::string path)
      : host_(std::move(host)), port_(port), path_(std::move(path)) {}

  vow::Promise<std::string> start(double timeout_ms) {
    auto [promise, resolve, reject] = vow::Promise<std::string>::withResolvers();
    resolve_.emplace(std::move(resolve));
    reject_.emplace(std::move(reject));
    socket_ = Fd(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port_));
    ::inet_pton(AF_INET, host_.c_str(), &address.sin_addr);
    if (::connect(socket_.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) < 0 &&
        errno != EINPROGRESS) {
      fail(vow::SystemError(errno, "connect"));
      return promise;
    }
    // A non-blocking connect completes when the socket becomes writable.
    watcher_ =
        vow::Loop::current().watch(socket_.get(), vow::kWritable,
                                   [self = shared_from_this()](std::uint32_t) { self->onReady(); });
    // Bounded: a request that takes too long fails instead of keeping the program waiting.
    timer_ = vow::setTimeout(
        [self = shared_from_this()] { self->fail(vow::Exception("request timed out")); },
        timeout_ms);
    return promise;
  }

 private:
  void onReady() {
    if (!sent_) {
      int error = 0;
      socklen_t length = sizeof error;
      ::getsockopt(socket_.get(), SOL_SOCKET, SO_ERROR, &error, &length);
      if (error != 0) return fail(vow::SystemError(error, "connect"));
      std::string request = "GET " + path_ + " HTTP/1.1\r\nHost: " + host_ + ":" +
                            std::to_string(port_) + "\r\nConnection: close\r\n\r\n";
      if (!writeAll(socket_.get(), request)) return fail(vow::SystemError(errno, "write"));
      sent_ = true;
      watcher_.start(vow::kReadable);  // now wait for the response
      return;
    }
    char buffer[4096];
    ssize_t n = ::recv(socket_.get(), buffer, sizeof buffer, 0);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
    if (n < 0) return fail(vow::SystemError(errno, "read"));
    if (n > 0) {
      received_.append(buffer, static_cast<std::size_t>(n));
      return;
    }
    // End of stream: the server closed the connection after its response. Its body follows
    // the blank line that ends the head. (Closed without a response: Node's "socket hang up".)
    std::size_t head_end = received_.find("\r\n\r\n");
    if (head_end == std::string::npos) return fail(vow::Exception("socket hang up", "ECONNRESET"));
    finish();
    (*resolve_)(received_.substr(head_end + 4));
  }

  void fail(const vow::Error& error) {
    finish();
    (*reject_)(error);  // ignored if the promise already settled
  }

  // Stops watching and timing; dropping the watcher and timer callbacks drops their
  // references to this object, so it goes away once the caller's last reference does.
  void finish() {
    vow::clearTimeout(timer_);
    timer_ = vow::Timeout();
    watcher_ = vow::IoWatcher();
    socket_ = Fd();
  }

  std::string host_;
  int port_;
  std::string path_;
  Fd socket_;
  vow::IoWatcher watcher_;
  vow::Timeout timer_;
  bool sent_ = false;
  std::string received_;
  std::optional<vow::ResolveFn<std::string>> resolve_;  // set by start()
  std::optional<vow::RejectFn> reject_;
};

// Node: http.get(url) with the body collected into a promise (a response without a body ends
// it). `url` is "http://<IPv4 address>:<port><path>". Fails after `timeout_ms`.
inline vow::Promise<std::string> get(const std::string& url, double timeout_ms = 5000) {
  std::string rest = url.substr(url.find("//") + 2);  // "127.0.0.1:8080/path"
  std::size_t colon = rest.find(':');
  std::size_t slash = rest.find('/');
  std::string host = rest.substr(0, colon);
  int port = std::stoi(rest.substr(colon + 1, slash - colon - 1));
  std::string path = slash == std::string::npos ? "/" : rest.substr(slash);
  return std::make_shared<ClientRequest>(host, port, path)->start(timeout_ms);
}

}  // namespace examples::http
