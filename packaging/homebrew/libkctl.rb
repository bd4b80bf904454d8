# Homebrew formula for libkctl: the library, its simulated kernel (libkctl-sim), the
# kctl tool, kextbundle, the headers, pkg-config files and manuals that `meson install`
# puts in place on macOS (libkctl-kpi, libkctl-preload and kctl-sim are not built on a
# Mac, where kexts run in the real kernel).
#
# NOT TESTED: this project has no Mac, here or in CI, so this formula has never been
# run by `brew install`, `brew test` or `brew audit`. It follows Homebrew's Formula
# Cookbook and is written against the build as it is on Linux; everything it claims
# about macOS is unverified until someone runs it there.
#
# Before the first release: the project is not published yet, so `homepage`, `url` and
# `sha256` are placeholders to replace. For a local try on a Mac, from a checkout:
#   git archive --prefix=libkctl-0.1.0/ -o /tmp/libkctl-0.1.0.tar.gz HEAD
#   shasum -a 256 /tmp/libkctl-0.1.0.tar.gz   # put it in sha256, the file:// path in url
#   brew install --build-from-source ./packaging/homebrew/libkctl.rb && brew test libkctl
class Libkctl < Formula
  desc "Kernel-control (PF_SYSTEM) sockets for macOS, with a simulated XNU kernel"
  homepage "https://example.invalid/libkctl" # placeholder: see above
  url "file:///tmp/libkctl-0.1.0.tar.gz"
  sha256 "0000000000000000000000000000000000000000000000000000000000000000"
  license "MIT"

  depends_on "cmocka" => :build # the unit suites run at install time (below)
  depends_on "meson" => :build
  depends_on "ninja" => :build
  depends_on "pkgconf" => [:build, :test] # formerly "pkg-config"
  depends_on :macos

  def install
    # No -Werror outside the project's own CI: a newer Xcode's new warning must not fail
    # an install. The tests are the simulator's suites, which need no privilege and no
    # kext; they check the library that was just built on this Mac before it is
    # installed.
    system "meson", "setup", "build", *std_meson_args, "-Dwerror=false", "-Dtests=true"
    system "meson", "compile", "-C", "build", "--verbose"
    system "meson", "test", "-C", "build", "--suite", "unit", "--print-errorlogs"
    system "meson", "install", "-C", "build"
  end

  test do
    # A tiny client: a control registered in the simulated kernel, opened, sent to and
    # closed through libkctl, built with pkg-config alone. Then the real kernel: every
    # Mac registers Apple's utun control, so looking it up must succeed (no privilege
    # needed); if Homebrew's test sandbox refuses PF_SYSTEM sockets, the client says so
    # on its output instead of failing (a refusal is not a libkctl result).
    (testpath/"client.c").write <<~C
      #include <errno.h>
      #include <stdio.h>
      #include <kctl.h>
      #include <kctl_sim.h>

      static int got_bytes;

      static int on_connect(kctl_sim_ctl_t *c, const struct kctl_abi_sockaddr_ctl *sa,
                            void **info)
      {
        (void)c; (void)sa; (void)info;
        return 0;
      }

      static int on_send(kctl_sim_ctl_t *c, uint32_t unit, void *info,
                         kctl_sim_mbuf_t *m, int flags)
      {
        (void)c; (void)unit; (void)info; (void)flags;
        got_bytes = (int)kctl_sim_mbuf_pkthdr_len(m);
        kctl_sim_mbuf_free(m);
        return 0;
      }

      int main(void)
      {
        struct kctl_sim_reg reg = { .name = "org.example.brew",
                                    .connect = on_connect, .send = on_send };
        kctl_sim_t *sim;
        kctl_sim_ctl_t *ctl;
        kctl_t *h;
        uint32_t id;
        int rc;

        if (kctl_sim_new(&sim) != 0 || kctl_sim_register(sim, &reg, &ctl) != 0)
          return 1;
        rc = kctl_open_name(kctl_sim_backend(sim), reg.name, 0, 0, &h);
        if (rc != 0) {
          fprintf(stderr, "open: %s\\n", kctl_strerror(rc));
          return 1;
        }
        if (kctl_send(h, "hello", 5, NULL) != 0 || got_bytes != 5)
          return 1;
        kctl_close(h);
        kctl_sim_free(sim);

        rc = kctl_lookup(NULL, KCTL_UTUN_CONTROL_NAME, &id);
        if (rc == -EPERM || rc == -EACCES) {
          printf("libkctl %s: simulated send ok; the sandbox refused the real kernel: %s\\n",
                 kctl_version(), kctl_strerror(rc));
          return 0;
        }
        if (rc != 0) {
          fprintf(stderr, "utun lookup: %s\\n", kctl_strerror(rc));
          return 1;
        }
        printf("libkctl %s: simulated send ok, utun is control %u\\n", kctl_version(), id);
        return 0;
      }
    C
    flags = shell_output("pkg-config --cflags --libs libkctl libkctl-sim").chomp.split
    system ENV.cc, "-std=c11", "client.c", "-o", "client", *flags
    assert_match "simulated send ok", shell_output("./client")
    assert_match version.to_s, shell_output("#{bin}/kctl --version 2>&1")
  end
end
