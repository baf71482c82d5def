// bench_e2e_latency: publish-to-stored latency of the message pipeline, measured from outside like a client sees it.
// Not a test (not registered with CTest); tests/benchmarks/bench-pipeline.sh runs it.
//
//   bench_e2e_latency <http-base-url> <channel-id> <thing-key> [interval-ms=10] [duration-s=5] [reader-base-url]
//
// The reader base URL defaults to the publishing one; a cluster publishes on an edge and reads on the core.
//
// One thread POSTs a one-record SenML pack every <interval-ms> to /http/channels/<id>/messages, each record with a
// unique name ("lat-<run>-<n>"); a second thread polls GET /channels/<id>/messages?name=<that name>&limit=1 for
// every message not yet seen (back to back, ~0.2 ms pause per sweep) and notes when "total" becomes 1. Latency is
// from just before the POST is written to the first poll answer that shows the record, so it includes one reader
// round trip (its share is printed as "reader GET"). Plain blocking HTTP/1.1 over keep-alive sockets with
// TCP_NODELAY keeps the client's own overhead in the tens of microseconds.
// Prints one line per figure and, last, a machine-readable line:
//   RESULT sent=<n> accepted=<n> stored=<n> publish_p50_ms=.. publish_p99_ms=.. stored_p50_ms=.. stored_p99_ms=..
//          stored_max_ms=.. reader_get_p50_ms=..
#include <algorithm>
#include <arpa/inet.h>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <optional>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point from, Clock::time_point to)
{
    return std::chrono::duration<double, std::milli>(to - from).count();
}

// A keep-alive HTTP/1.1 connection to 127.0.0.1:<port>; reconnects when the server closed it.
class Http
{
public:
    explicit Http(int port) : m_port(port) {}
    ~Http() { closeSocket(); }

    struct Response
    {
        int status = 0;
        std::string body;
    };

    std::optional<Response> request(const std::string &method, const std::string &path, const std::string &auth,
                                     const std::string &contentType = {}, const std::string &body = {})
    {
        std::string req = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + auth + "\r\n";
        if (!contentType.empty())
            req += "Content-Type: " + contentType + "\r\n";
        if (method == "POST")
            req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
        req += "\r\n" + body;
        for (int attempt = 0; attempt < 2; ++attempt) {
            if (m_fd < 0 && !connectSocket())
                return std::nullopt;
            if (auto r = exchange(req))
                return r;
            closeSocket();
        }
        return std::nullopt;
    }

private:
    bool connectSocket()
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(uint16_t(m_port));
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(m_fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0) {
            closeSocket();
            return false;
        }
        int one = 1;
        ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        m_buffer.clear();
        return true;
    }
    void closeSocket()
    {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = -1;
    }
    bool fill()
    {
        char chunk[65536];
        const ssize_t n = ::recv(m_fd, chunk, sizeof chunk, 0);
        if (n <= 0)
            return false;
        m_buffer.append(chunk, size_t(n));
        return true;
    }
    std::optional<Response> exchange(const std::string &req)
    {
        for (size_t off = 0; off < req.size();) {
            const ssize_t n = ::send(m_fd, req.data() + off, req.size() - off, MSG_NOSIGNAL);
            if (n <= 0)
                return std::nullopt;
            off += size_t(n);
        }
        size_t headerEnd;
        while ((headerEnd = m_buffer.find("\r\n\r\n")) == std::string::npos)
            if (!fill())
                return std::nullopt;
        Response r;
        if (m_buffer.size() < 12)
            return std::nullopt;
        r.status = std::atoi(m_buffer.c_str() + 9);
        size_t length = 0;
        std::string headers = m_buffer.substr(0, headerEnd);
        for (char &c : headers)
            c = char(std::tolower(static_cast<unsigned char>(c)));
        if (const size_t p = headers.find("\r\ncontent-length:"); p != std::string::npos)
            length = size_t(std::strtoull(headers.c_str() + p + 17, nullptr, 10));
        while (m_buffer.size() < headerEnd + 4 + length)
            if (!fill())
                return std::nullopt;
        r.body = m_buffer.substr(headerEnd + 4, length);
        m_buffer.erase(0, headerEnd + 4 + length);
        return r;
    }

    int m_port;
    int m_fd = -1;
    std::string m_buffer;
};

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    const size_t i = std::min(v.size() - 1, size_t(p / 100.0 * double(v.size() - 1) + 0.5));
    return v[i];
}

struct Pending
{
    std::string name;
    Clock::time_point sent;
};

} // namespace

int main(int argc, char **argv)
{
    if (argc < 4) {
        std::fprintf(stderr, "usage: %s <http-base-url> <channel-id> <thing-key> [interval-ms=10] [duration-s=5] "
                             "[reader-base-url]\n",
                     argv[0]);
        return 2;
    }
    const std::string base = argv[1];
    const std::string channel = argv[2];
    const std::string key = argv[3];
    const int intervalMs = argc > 4 ? std::atoi(argv[4]) : 10;
    const double durationS = argc > 5 ? std::atof(argv[5]) : 5.0;
    const size_t colon = base.rfind(':');
    const int port = colon == std::string::npos ? 80 : std::atoi(base.c_str() + colon + 1);
    const std::string readerBase = argc > 6 ? argv[6] : base;
    const size_t readerColon = readerBase.rfind(':');
    const int readerPort = readerColon == std::string::npos ? 80 : std::atoi(readerBase.c_str() + readerColon + 1);
    const std::string run = std::to_string(::getpid()) + "-" +
                            std::to_string(Clock::now().time_since_epoch().count() % 1000000);

    std::mutex mutex;
    std::vector<Pending> pending;
    std::vector<double> publishMs, storedMs, readerMs;
    std::atomic<bool> publishing{true};
    int sent = 0, accepted = 0;

    std::thread poller([&] {
        Http http(readerPort);
        std::optional<Clock::time_point> stopAt;
        while (true) {
            std::vector<Pending> todo;
            {
                std::lock_guard lock(mutex);
                todo = pending;
            }
            if (todo.empty()) {
                if (!publishing.load())
                    break;
                std::this_thread::sleep_for(std::chrono::microseconds(200));
                continue;
            }
            for (const Pending &p : todo) {
                const auto before = Clock::now();
                auto r = http.request("GET", "/channels/" + channel + "/messages?limit=1&name=" + p.name, key);
                const auto now = Clock::now();
                readerMs.push_back(msSince(before, now));
                if (!r || r->status != 200) {
                    std::fprintf(stderr, "reader answered %d\n", r ? r->status : -1);
                    std::this_thread::sleep_for(std::chrono::milliseconds(10));
                    continue;
                }
                if (r->body.find("\"total\":0") != std::string::npos)
                    continue;
                std::lock_guard lock(mutex);
                storedMs.push_back(msSince(p.sent, now));
                std::erase_if(pending, [&](const Pending &q) { return q.name == p.name; });
            }
            std::this_thread::sleep_for(std::chrono::microseconds(200));
            if (!publishing.load()) {
                if (!stopAt)
                    stopAt = Clock::now() + std::chrono::seconds(30);
                else if (Clock::now() > *stopAt) {
                    std::fprintf(stderr, "gave up waiting for %zu messages\n", todo.size());
                    break;
                }
            }
        }
    });

    {
        Http http(port);
        const std::string path = "/http/channels/" + channel + "/messages";
        const auto start = Clock::now();
        auto next = start;
        for (int n = 0; msSince(start, Clock::now()) < durationS * 1000.0; ++n) {
            std::this_thread::sleep_until(next);
            next += std::chrono::milliseconds(intervalMs);
            const std::string name = "lat-" + run + "-" + std::to_string(n);
            const std::string body = "[{\"n\":\"" + name + "\",\"v\":" + std::to_string(n) + "}]";
            const auto before = Clock::now();
            {
                std::lock_guard lock(mutex);
                pending.push_back({name, before});
            }
            auto r = http.request("POST", path, key, "application/senml+json", body);
            const auto after = Clock::now();
            ++sent;
            if (r && r->status == 202) {
                ++accepted;
                publishMs.push_back(msSince(before, after));
            } else {
                std::fprintf(stderr, "publish %d answered %d\n", n, r ? r->status : -1);
                std::lock_guard lock(mutex);
                std::erase_if(pending, [&](const Pending &q) { return q.name == name; });
            }
        }
        publishing = false;
    }
    poller.join();

    std::printf("publish (202) latency: p50 %.3f ms  p99 %.3f ms  (%d sent, %d accepted)\n",
                percentile(publishMs, 50), percentile(publishMs, 99), sent, accepted);
    std::printf("publish-to-stored:     p50 %.3f ms  p99 %.3f ms  max %.3f ms  (%zu of %d found by the reader)\n",
                percentile(storedMs, 50), percentile(storedMs, 99), percentile(storedMs, 100), storedMs.size(),
                accepted);
    std::printf("reader GET round trip: p50 %.3f ms  p99 %.3f ms  (%zu polls)\n", percentile(readerMs, 50),
                percentile(readerMs, 99), readerMs.size());
    std::printf("RESULT sent=%d accepted=%d stored=%zu publish_p50_ms=%.3f publish_p99_ms=%.3f stored_p50_ms=%.3f "
                "stored_p99_ms=%.3f stored_max_ms=%.3f reader_get_p50_ms=%.3f\n",
                sent, accepted, storedMs.size(), percentile(publishMs, 50), percentile(publishMs, 99),
                percentile(storedMs, 50), percentile(storedMs, 99), percentile(storedMs, 100),
                percentile(readerMs, 50));
    return storedMs.size() == size_t(accepted) ? 0 : 1;
}
