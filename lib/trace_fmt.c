/*
 * trace_fmt.c - how the tracer writes arguments and results: Darwin's names for the
 * values of the syscall table (which speaks Darwin's ABI on every host), the host's
 * names for errnos, and the frames of kctl_frame.h inside data.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "trace.h"

/* Preview lengths: payload bytes shown per frame, bytes shown of other data. */
#define FRAME_PREVIEW 16
#define DATA_PREVIEW 32
#define FRAMES_SHOWN 8

/* Darwin values the core does not use, named for the reader of a trace. */
#define MSG_DONTROUTE_ 0x4
#define MSG_CTRUNC_ 0x20
#define MSG_NOSIGNAL_ 0x80000

void kctl_tl_put(struct kctl_tline *l, const char *fmt, ...)
{
	va_list ap;
	int n;

	char *dst = l->len < sizeof(l->buf) ? l->buf + l->len : NULL;
	size_t room = l->len < sizeof(l->buf) ? sizeof(l->buf) - l->len : 0;

	va_start(ap, fmt);
	/* a size of 0 only counts (a cut line says so); clang-analyzer 14 loses track of
	 * va_start through the format attribute */
	n = vsnprintf(dst, room, fmt, ap); /* NOLINT(clang-analyzer-valist.Uninitialized) */
	va_end(ap);
	if (n > 0)
		l->len += (size_t)n;
}

void kctl_tl_result(struct kctl_tline *l, int rc, long long value)
{
	const struct kctl_errno_entry *e;

	if (rc == 0) {
		kctl_tl_put(l, " = %lld", value);
		return;
	}
	e = kctl_errno_find(rc);
	if (e)
		kctl_tl_put(l, " = -1 %s", e->text);
	else
		kctl_tl_put(l, " = -1 errno %lld", rc < 0 ? -(long long)rc : (long long)rc);
}

void kctl_tl_domain(struct kctl_tline *l, int domain)
{
	if (domain == KCTL_ABI_AF_SYSTEM)
		kctl_tl_put(l, "AF_SYSTEM");
	else
		kctl_tl_put(l, "%d", domain);
}

void kctl_tl_type(struct kctl_tline *l, int type)
{
	if (type == KCTL_ABI_SOCK_STREAM)
		kctl_tl_put(l, "SOCK_STREAM");
	else if (type == KCTL_ABI_SOCK_DGRAM)
		kctl_tl_put(l, "SOCK_DGRAM");
	else
		kctl_tl_put(l, "%d", type);
}

void kctl_tl_protocol(struct kctl_tline *l, int protocol)
{
	if (protocol == KCTL_ABI_SYSPROTO_CONTROL)
		kctl_tl_put(l, "SYSPROTO_CONTROL");
	else if (protocol == KCTL_ABI_SYSPROTO_EVENT)
		kctl_tl_put(l, "SYSPROTO_EVENT");
	else
		kctl_tl_put(l, "%d", protocol);
}

struct named {
	long long value;
	const char *name;
};

/* Writes the names of the bits of v found in tab, "|"-joined, then any rest in hex. */
static void put_bits(struct kctl_tline *l, long long v, const struct named *tab, size_t n)
{
	const char *sep = "";

	if (v == 0) {
		kctl_tl_put(l, "0");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if ((v & tab[i].value) == tab[i].value) {
			kctl_tl_put(l, "%s%s", sep, tab[i].name);
			v &= ~tab[i].value;
			sep = "|";
		}
	}
	if (v)
		kctl_tl_put(l, "%s0x%llx", sep, v);
}

void kctl_tl_msgflags(struct kctl_tline *l, int flags)
{
	static const struct named tab[] = {
		{ KCTL_ABI_MSG_OOB, "MSG_OOB" },         { KCTL_ABI_MSG_PEEK, "MSG_PEEK" },
		{ MSG_DONTROUTE_, "MSG_DONTROUTE" },     { KCTL_ABI_MSG_EOR, "MSG_EOR" },
		{ KCTL_ABI_MSG_TRUNC, "MSG_TRUNC" },     { MSG_CTRUNC_, "MSG_CTRUNC" },
		{ KCTL_ABI_MSG_WAITALL, "MSG_WAITALL" }, { KCTL_ABI_MSG_DONTWAIT, "MSG_DONTWAIT" },
		{ MSG_NOSIGNAL_, "MSG_NOSIGNAL" },
	};

	put_bits(l, (unsigned int)flags, tab, sizeof(tab) / sizeof(tab[0]));
}

void kctl_tl_sockaddr(struct kctl_tline *l, const struct kctl_abi_sockaddr_ctl *sa)
{
	int reserved = 0;

	kctl_tl_put(l, "{sc_len=%u, sc_family=", (unsigned)sa->sc_len);
	kctl_tl_domain(l, sa->sc_family);
	if (sa->ss_sysaddr == KCTL_ABI_AF_SYS_CONTROL)
		kctl_tl_put(l, ", ss_sysaddr=AF_SYS_CONTROL");
	else
		kctl_tl_put(l, ", ss_sysaddr=%u", (unsigned)sa->ss_sysaddr);
	kctl_tl_put(l, ", sc_id=%u, sc_unit=%u", (unsigned)sa->sc_id, (unsigned)sa->sc_unit);
	for (int i = 0; i < 5; i++)
		reserved |= sa->sc_reserved[i] != 0;
	if (reserved) /* clients that leave it uninitialised break on new kernels: show it */
		kctl_tl_put(l, ", sc_reserved=[%u, %u, %u, %u, %u]",
			    (unsigned)sa->sc_reserved[0], (unsigned)sa->sc_reserved[1],
			    (unsigned)sa->sc_reserved[2], (unsigned)sa->sc_reserved[3],
			    (unsigned)sa->sc_reserved[4]);
	kctl_tl_put(l, "}");
}

const char *kctl_tl_ioctl_name(unsigned long req)
{
	switch (req) {
	case KCTL_ABI_CTLIOCGCOUNT: return "CTLIOCGCOUNT";
	case KCTL_ABI_CTLIOCGINFO: return "CTLIOCGINFO";
	case KCTL_ABI_FIOCLEX: return "FIOCLEX";
	case KCTL_ABI_FIONCLEX: return "FIONCLEX";
	case KCTL_ABI_FIONBIO: return "FIONBIO";
	case KCTL_ABI_FIONREAD: return "FIONREAD";
	default: return NULL;
	}
}

static const char *sol_socket_opt(int opt)
{
	switch (opt) {
	case 0x1001: return "SO_SNDBUF";
	case 0x1002: return "SO_RCVBUF";
	case 0x1003: return "SO_SNDLOWAT";
	case 0x1004: return "SO_RCVLOWAT";
	case 0x1005: return "SO_SNDTIMEO";
	case 0x1006: return "SO_RCVTIMEO";
	case 0x1007: return "SO_ERROR";
	case 0x1008: return "SO_TYPE";
	case 0x1020: return "SO_NREAD";
	case KCTL_ABI_SO_NOSIGPIPE: return "SO_NOSIGPIPE";
	default: return NULL;
	}
}

/* Options of Apple's utun control (xnu bsd/net/if_utun.h). */
static const char *utun_opt(int opt)
{
#define U(name) case KCTL_ABI_##name: return #name
	switch (opt) {
	U(UTUN_OPT_FLAGS);
	U(UTUN_OPT_IFNAME);
	U(UTUN_OPT_EXT_IFDATA_STATS);
	U(UTUN_OPT_INC_IFDATA_STATS_IN);
	U(UTUN_OPT_INC_IFDATA_STATS_OUT);
	U(UTUN_OPT_SET_DELEGATE_INTERFACE);
	U(UTUN_OPT_MAX_PENDING_PACKETS);
	U(UTUN_OPT_ENABLE_CHANNEL);
	U(UTUN_OPT_GET_CHANNEL_UUID);
	U(UTUN_OPT_ENABLE_FLOWSWITCH);
	U(UTUN_OPT_ENABLE_NETIF);
	U(UTUN_OPT_SLOT_SIZE);
	U(UTUN_OPT_NETIF_RING_SIZE);
	U(UTUN_OPT_TX_FSW_RING_SIZE);
	U(UTUN_OPT_RX_FSW_RING_SIZE);
	U(UTUN_OPT_KPIPE_TX_RING_SIZE);
	U(UTUN_OPT_KPIPE_RX_RING_SIZE);
	U(UTUN_OPT_ATTACH_FLOWSWITCH);
	default: return NULL;
	}
#undef U
}

void kctl_tl_level_opt(struct kctl_tline *l, int level, int opt, int utun)
{
	const char *name = NULL;

	if (level == KCTL_ABI_SOL_SOCKET) {
		kctl_tl_put(l, "SOL_SOCKET, ");
		name = sol_socket_opt(opt);
	} else if (level == KCTL_ABI_SYSPROTO_CONTROL) {
		kctl_tl_put(l, "SYSPROTO_CONTROL, ");
		name = utun ? utun_opt(opt) : NULL; /* other controls number their own */
	} else {
		kctl_tl_put(l, "%d, ", level);
	}
	if (name)
		kctl_tl_put(l, "%s", name);
	else if (level == KCTL_ABI_SOL_SOCKET)
		kctl_tl_put(l, "0x%x", (unsigned)opt);
	else
		kctl_tl_put(l, "%d", opt);
}

void kctl_tl_bytes(struct kctl_tline *l, const void *p, size_t n, size_t max)
{
	const unsigned char *b = p;
	size_t shown = n < max ? n : max;

	kctl_tl_put(l, "\"");
	for (size_t i = 0; i < shown; i++) {
		unsigned char c = b[i];

		if (c == '"' || c == '\\')
			kctl_tl_put(l, "\\%c", c);
		else if (c == '\n')
			kctl_tl_put(l, "\\n");
		else if (c == '\t')
			kctl_tl_put(l, "\\t");
		else if (c >= 0x20 && c < 0x7f)
			kctl_tl_put(l, "%c", c);
		else
			kctl_tl_put(l, "\\x%02x", (unsigned)c);
	}
	kctl_tl_put(l, shown < n ? "\"..." : "\"");
}

void kctl_tl_optval(struct kctl_tline *l, const void *val, size_t len)
{
	if (len == sizeof(int32_t)) {
		int32_t v;

		memcpy(&v, val, sizeof(v));
		kctl_tl_put(l, "[%d]", (int)v);
	} else if (len == sizeof(uint64_t)) {
		uint64_t v;

		memcpy(&v, val, sizeof(v));
		kctl_tl_put(l, "[%llu]", (unsigned long long)v);
	} else {
		kctl_tl_bytes(l, val, len, DATA_PREVIEW);
	}
}

/* Copies the first bytes of the gathered data into lin (8-byte aligned, cap bytes). */
static size_t linearize(uint64_t *lin, size_t cap, const struct iovec *iov, int iovcnt,
			size_t n)
{
	size_t have = 0;

	for (int i = 0; i < iovcnt && have < cap && have < n; i++) {
		size_t take = iov[i].iov_len;

		if (take > cap - have)
			take = cap - have;
		if (take > n - have)
			take = n - have;
		if (take)
			memcpy((unsigned char *)lin + have, iov[i].iov_base, take);
		have += take;
	}
	return have;
}

static void put_frame_kind(struct kctl_tline *l, const struct kctl_frame_hdr *h)
{
	static const struct named tab[] = {
		{ KCTL_FRAME_F_REQUEST, "REQUEST" }, { KCTL_FRAME_F_REPLY, "REPLY" },
		{ KCTL_FRAME_F_ERROR, "ERROR" },     { KCTL_FRAME_F_EVENT, "EVENT" },
		{ KCTL_FRAME_F_MORE, "MORE" },
	};

	put_bits(l, h->flags, tab, sizeof(tab) / sizeof(tab[0]));
	kctl_tl_put(l, " type=%u seq=%u len=%u", (unsigned)h->type, (unsigned)h->seq,
		    (unsigned)h->len);
	if (h->flags & KCTL_FRAME_F_ERROR) {
		const char *name = kctl_errno_name((int)h->aux);

		if (name)
			kctl_tl_put(l, " errno=%s", name);
		else
			kctl_tl_put(l, " errno=%u", (unsigned)h->aux);
	} else if (h->aux) {
		kctl_tl_put(l, " %s=%u", (h->flags & KCTL_FRAME_F_EVENT) ? "dropped" : "aux",
			    (unsigned)h->aux);
	}
}

/* The frames at the start of lin (have of n bytes); 0 if it does not start with one. */
static int put_frames(struct kctl_tline *l, const uint64_t *lin, size_t have, size_t n)
{
	const unsigned char *p = (const unsigned char *)lin;
	const char *sep = " [";
	size_t off = 0;
	int shown = 0;

	while (off < have && shown < FRAMES_SHOWN) {
		const struct kctl_frame_hdr *f;
		struct kctl_frame_hdr h;
		size_t size = 0;
		int rc = kctl_frame_next(p + off, have - off, 0, &f, &size);

		if (rc == 0) {
			kctl_tl_put(l, "%s{", sep);
			put_frame_kind(l, f);
			if (kctl_frame_payload_len(f)) {
				kctl_tl_put(l, " ");
				kctl_tl_bytes(l, kctl_frame_payload(f), kctl_frame_payload_len(f),
					      FRAME_PREVIEW);
			}
			kctl_tl_put(l, "}");
			off += size;
		} else if (rc == -EAGAIN && size > KCTL_FRAME_HDR_LEN) {
			/* a valid header whose frame the data cuts (a STREAM read), or that
			 * goes on beyond the bytes copied here */
			memcpy(&h, p + off, sizeof(h));
			kctl_tl_put(l, "%s{", sep);
			put_frame_kind(l, &h);
			if (n - off < size) {
				kctl_tl_put(l, ", %zu of %zu bytes}", n - off, size);
				off = n;
			} else {
				kctl_tl_put(l, "}");
				off += size; /* beyond `have`: the loop ends */
			}
		} else if (off == 0) {
			return 0; /* not frames: the caller shows the bytes */
		} else {
			break;
		}
		sep = ", ";
		shown++;
	}
	if (off < n)
		kctl_tl_put(l, "%s+%zu bytes", sep, n - off);
	kctl_tl_put(l, "]");
	return 1;
}

/* utun: the 4-byte family in network byte order, then the packet. */
static void put_utun(struct kctl_tline *l, const uint64_t *lin, size_t have, size_t n)
{
	const unsigned char *p = (const unsigned char *)lin;
	uint32_t af;

	if (have < KCTL_ABI_UTUN_HEADER_LEN) {
		kctl_tl_put(l, " ");
		kctl_tl_bytes(l, p, have, DATA_PREVIEW);
		return;
	}
	af = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
	if (af == KCTL_ABI_AF_INET)
		kctl_tl_put(l, " [AF_INET, ");
	else if (af == KCTL_ABI_AF_INET6)
		kctl_tl_put(l, " [AF_INET6, ");
	else
		kctl_tl_put(l, " [family %u, ", (unsigned)af);
	kctl_tl_put(l, "%zu bytes ", n - 4);
	kctl_tl_bytes(l, p + 4, have - 4, DATA_PREVIEW);
	kctl_tl_put(l, "]");
}

void kctl_tl_data(struct kctl_tline *l, const struct iovec *iov, int iovcnt, size_t n,
		  int utun, int count)
{
	uint64_t lin[256]; /* the first 2 KiB: enough for the headers of a burst's start */
	size_t have = linearize(lin, sizeof(lin), iov, iovcnt, n);

	if (count)
		kctl_tl_put(l, "%zu bytes", n);
	if (n == 0)
		return;
	if (utun) {
		put_utun(l, lin, have, n);
		return;
	}
	if (put_frames(l, lin, have, n))
		return;
	kctl_tl_put(l, " ");
	kctl_tl_bytes(l, lin, have, DATA_PREVIEW);
}

/* Names shown of a registration list; the rest is counted. */
#define REG_LIST_SHOWN 4

void kctl_tl_reg_list(struct kctl_tline *l, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	struct kctl_abi_xsystmgen g;
	size_t off = sizeof(g);
	uint64_t shown = 0;

	if (len < sizeof(g))
		return;
	memcpy(&g, p, sizeof(g));
	kctl_tl_put(l, " {xg_count=%llu, xg_gen=%llu}", (unsigned long long)g.xg_count,
		    (unsigned long long)g.xg_gen);
	/* a hostile answer is shown only as far as its lengths hold */
	while (shown < g.xg_count && shown < REG_LIST_SHOWN &&
	       len - off >= sizeof(struct kctl_abi_xkctl_reg)) {
		struct kctl_abi_xkctl_reg r;
		size_t step;

		memcpy(&r, p + off, sizeof(r));
		step = ((size_t)r.xkr_len + 7u) & ~(size_t)7u;
		if (r.xkr_len < sizeof(r) || step > len - off)
			break;
		kctl_tl_put(l, "%s", shown ? ", " : " [");
		kctl_tl_bytes(l, r.xkr_name, strnlen(r.xkr_name, sizeof(r.xkr_name)),
			      sizeof(r.xkr_name));
		kctl_tl_put(l, " id=%u units=%u", (unsigned)r.xkr_id, (unsigned)r.xkr_pcbcount);
		off += step;
		shown++;
	}
	if (shown)
		kctl_tl_put(l, g.xg_count > shown ? ", ...]" : "]");
}
