// mainflux-backend's config file (`key = value` lines, MF_CONFIG / --config), read and validated the way the
// backend does at start. The input is the file's content, handed over as a memory file (no disk writes per run).
// Promise: Malformed with a reason (naming the file and line where there is one), or a config whose ports are ports
// and whose services are known.

#include "config.h"
#include "fuzzcheck.h"

#include <sys/mman.h>
#include <unistd.h>

using mf::fuzz::check;
using namespace Qt::StringLiterals;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const int fd = memfd_create("mainflux-fuzz-config", MFD_CLOEXEC);
    check(fd >= 0, "memfd_create");
    for (size_t written = 0; written < size;) {
        const ssize_t n = ::write(fd, data + written, size - written);
        check(n > 0, "write to the memory file");
        written += size_t(n);
    }
    const QString path = u"/proc/self/fd/%1"_s.arg(fd);
    const auto config = mf::backend::Config::load({u"--config"_s, path}, {});
    ::close(fd);
    if (!config) {
        check(config.error().code == mf::ErrorCode::Malformed, "a refused config is Malformed");
        check(!config.error().message.isEmpty(), "a refused config says why");
        return 0;
    }
    for (const auto &setting : mf::backend::Config::settings())
        if (setting.env.endsWith("_PORT"_L1) && !config->value(setting.env).isEmpty())
            check(config->value(setting.env).toUInt() <= 65535, "every port setting is a port");
    const QStringList services = config->services();
    check(!services.isEmpty(), "a valid config runs some service");
    for (const QString &service : services)
        check(mf::backend::Config::knownServices().contains(service), "every service to run is known");
    return 0;
}
