/*
 * kctl_frame.h - the libkctl frame codec: one small wire format for messages over a
 * kernel control, and a freestanding encoder/decoder shared by user space (libkctl)
 * and kernel code (a kext built with -mkernel). docs/protocol.md has the long version.
 *
 * THE FRAME (version 1)
 *
 *   offset size field    meaning
 *   0      4    len      header + payload in bytes, padding NOT included (16 .. KCTL_FRAME_MAX)
 *   4      1    version  KCTL_FRAME_VERSION (1)
 *   5      1    flags    KCTL_FRAME_F_* below; bits 0xE0 are reserved and must be zero
 *   6      2    type     the application's message type (any value; echoed in replies)
 *   8      4    seq      request sequence number, echoed in every reply frame to it
 *   12     4    aux      ERROR frames: the positive errno (1 .. KCTL_FRAME_ERRNO_MAX)
 *                        EVENT frames: events the sender dropped just before this one
 *                                      (saturating at UINT32_MAX)
 *                        every other frame: must be 0
 *   16     len-16       payload (raw bytes, or attributes, or both: the application's call)
 *   len    0..7         zero padding up to a multiple of KCTL_FRAME_ALIGN (8)
 *
 * Every multi-byte field is in HOST byte order: both ends of a kernel control run on the
 * same machine (as with netlink), so swapping would only cost time and invite bugs. A
 * capture moved to a machine of the other endianness must be converted. For the same
 * reason an errno travels as the platform's own number (Darwin's in the kernel and in
 * libc on a Mac; the simulator's on Linux, on both of its ends).
 *
 * Flags. Every frame has exactly one kind: REQUEST, REPLY or EVENT. ERROR and MORE are
 * modifiers of REPLY: ERROR says the request failed (aux holds the errno; an ERROR frame
 * is always the last reply to its seq, so it never carries MORE); MORE says further
 * reply frames for the same seq follow (the last one has MORE clear).
 *
 * Alignment. The payload starts 16 bytes into the frame, and each frame occupies
 * KCTL_FRAME_WIRE_SIZE(len) bytes, so in a buffer that starts 8-byte aligned every
 * header and every payload is 8-byte aligned, also for back-to-back frames in a stream
 * buffer or in one DGRAM record (a record may hold one or several frames). All codec
 * functions that take a frame or a buffer of frames require that 8-byte alignment.
 *
 * Attributes (optional, in the spirit of netlink/libmnl): a payload may be a sequence of
 * type-length-value items, each a 4-byte header {u16 len (header + value, padding not
 * included), u16 type} followed by the value and zero padding to a multiple of
 * KCTL_ATTR_ALIGN (4). Values are therefore only 4-byte aligned: the typed getters read
 * through memcpy, and so should code reading a binary value wider than 4 bytes. Readers
 * skip types they do not know, so a message can grow new attributes without breaking
 * old readers.
 *
 * Conventions (as in kctl.h): functions return 0 (or a documented non-negative value)
 * or a negative errno. Only symbolic errno names that exist on Darwin and Linux are
 * used. Nothing allocates; every buffer is the caller's; the codec keeps no state of its
 * own, so every function is thread-safe as long as two threads do not write the same
 * buffer. Decoding never copies: it returns pointers into the caller's buffer, valid as
 * long as that buffer is.
 *
 * Decoding errors, one errno per malformed class (see kctl_frame_next):
 *   -EAGAIN          incomplete: fewer bytes than the header, or than the frame (stream)
 *   -EPROTONOSUPPORT version is not KCTL_FRAME_VERSION
 *   -EBADMSG         len < 16
 *   -EMSGSIZE        wire size above max_frame (or above KCTL_FRAME_MAX)
 *   -ENOTSUP         a reserved flag bit (0xE0) is set
 *   -EPROTO          contradictory flags: not exactly one kind, ERROR or MORE without
 *                    REPLY, or ERROR with MORE
 *   -ERANGE          aux out of range: ERROR with an errno of 0 or above
 *                    KCTL_FRAME_ERRNO_MAX, or nonzero aux on a non-ERROR non-EVENT frame
 *   -EILSEQ          nonzero padding byte
 *   -ENODATA         a DGRAM record (or attribute region) ends inside a frame (attribute)
 *   -EINVAL          a bad argument: NULL, or a buffer not 8-byte aligned
 * On a STREAM any of these but -EAGAIN means the byte stream cannot be resynchronised.
 */
#ifndef KCTL_FRAME_H
#define KCTL_FRAME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef KCTL_API
#if defined(__GNUC__) || defined(__clang__)
#define KCTL_API __attribute__((visibility("default")))
#else
#define KCTL_API
#endif
#endif

/** The only version this codec writes and accepts. */
#define KCTL_FRAME_VERSION 1u

/** Size of the frame header; also the smallest valid len. */
#define KCTL_FRAME_HDR_LEN 16u

/** Every frame starts and ends on this boundary on the wire. */
#define KCTL_FRAME_ALIGN 8u

/** Bytes a frame of length `len` occupies on the wire: len rounded up to 8. */
#define KCTL_FRAME_WIRE_SIZE(len) \
	(((size_t)(len) + (KCTL_FRAME_ALIGN - 1u)) & ~(size_t)(KCTL_FRAME_ALIGN - 1u))

/**
 * Absolute limit on a frame's wire size (16 MiB), whatever max_frame says: far above any
 * control's socket buffer, so a larger length can only be a corrupt stream.
 */
#define KCTL_FRAME_MAX 0x1000000u

/** Largest errno an ERROR frame may carry (Linux's MAX_ERRNO; Darwin's are below 110). */
#define KCTL_FRAME_ERRNO_MAX 4095u

/* Flags (byte 5). */
#define KCTL_FRAME_F_REQUEST  0x01u /**< a request; the peer answers with REPLY frames */
#define KCTL_FRAME_F_REPLY    0x02u /**< a reply to the request with the same seq */
#define KCTL_FRAME_F_ERROR    0x04u /**< with REPLY: the request failed, aux = errno */
#define KCTL_FRAME_F_EVENT    0x08u /**< unsolicited; aux = events dropped before it */
#define KCTL_FRAME_F_MORE     0x10u /**< with REPLY: more reply frames for this seq follow */
#define KCTL_FRAME_F_RESERVED 0xE0u /**< must be zero in version 1 */

/** The frame header as it lies in memory and on the wire (host byte order). */
struct kctl_frame_hdr {
	uint32_t len;     /**< header + payload, padding not included */
	uint8_t version;  /**< KCTL_FRAME_VERSION */
	uint8_t flags;    /**< KCTL_FRAME_F_* */
	uint16_t type;    /**< application message type */
	uint32_t seq;     /**< request sequence number, echoed in replies */
	uint32_t aux;     /**< errno (ERROR), drop count (EVENT), else 0 */
};

/** Attribute values are padded to this boundary. */
#define KCTL_ATTR_ALIGN 4u

/** Size of an attribute header. */
#define KCTL_ATTR_HDR_LEN 4u

/** Largest attribute value: the u16 len counts the header too. */
#define KCTL_ATTR_PAYLOAD_MAX (65535u - KCTL_ATTR_HDR_LEN)

/** Bytes an attribute with a value of `vlen` bytes occupies: header + value, padded. */
#define KCTL_ATTR_SPACE(vlen) \
	(((size_t)(vlen) + KCTL_ATTR_HDR_LEN + (KCTL_ATTR_ALIGN - 1u)) & \
	 ~(size_t)(KCTL_ATTR_ALIGN - 1u))

/** An attribute header; the value follows it. */
struct kctl_attr {
	uint16_t len;  /**< header + value, padding not included (4 .. 65535) */
	uint16_t type; /**< application attribute type; unknown types are skipped */
};

/* ---------------------------------------------------------------------------------- */
/* Decoding                                                                           */
/* ---------------------------------------------------------------------------------- */

/**
 * Validates the frame at the start of buf (len bytes available) and yields it without
 * copying. On 0, *out points at the header inside buf and *size is the frame's wire size
 * (padding included): advance by *size to reach the next frame. `max_frame` is the
 * largest wire size accepted (0: KCTL_FRAME_MAX; values above it are clamped).
 * The header is checked as soon as its 16 bytes are there, in this order: version,
 * length, reserved flags, flag combination, aux; then, once the whole frame is in, its
 * padding. So a stream reader learns of a bad frame before waiting for its body.
 * Errors: -EAGAIN (incomplete: *size is the number of bytes the frame needs in total, 16
 * while the header is incomplete, its wire size after; read more and call again), or
 * one of the malformed classes in the table at the top of this file (*out and *size
 * untouched), or -EINVAL (NULL out/size, NULL buf with len > 0, buf not 8-byte aligned).
 * Thread-safe; reads only buf[0 .. len).
 */
KCTL_API int kctl_frame_next(const void *buf, size_t len, uint32_t max_frame,
			     const struct kctl_frame_hdr **out, size_t *size);

/**
 * Validates a whole DGRAM record: it must be exactly a sequence of one or more valid
 * frames, each padded. *count (may be NULL) gets the number of frames; iterate them with
 * kctl_frame_next(). Errors: -ENODATA (the record is empty or ends inside a frame: a
 * trailing partial frame is an error here, never "incomplete"), the malformed classes of
 * kctl_frame_next() for the first bad frame, -EINVAL (NULL buf, misaligned).
 * Thread-safe.
 */
KCTL_API int kctl_frame_check_record(const void *buf, size_t len, uint32_t max_frame,
				     size_t *count);

/** The payload of a validated frame (16 bytes after its header, 8-byte aligned). */
KCTL_API const void *kctl_frame_payload(const struct kctl_frame_hdr *f);

/** The payload length of a validated frame: len - 16 (padding not included). */
KCTL_API size_t kctl_frame_payload_len(const struct kctl_frame_hdr *f);

/**
 * What an error reply means for the caller: -errno for a validated ERROR frame (so a
 * kext answering EINVAL gives -EINVAL), 0 for any other frame. Thread-safe.
 */
KCTL_API int kctl_frame_error(const struct kctl_frame_hdr *f);

/* ---------------------------------------------------------------------------------- */
/* Encoding                                                                           */
/* ---------------------------------------------------------------------------------- */
/*
 * A frame is built in place in the caller's buffer: kctl_frame_start() writes the
 * header, kctl_frame_put()/kctl_frame_reserve()/kctl_attr_put_*() append payload (the
 * header's len field is the builder's state), kctl_frame_finish() writes the padding and
 * says how many bytes to send. `frame` is the buffer kctl_frame_start() was given and
 * `cap` the bytes writable from there (pass the same cap every time). Every step checks
 * that the frame, padded, still fits in cap (and in KCTL_FRAME_MAX): on -EMSGSIZE
 * nothing was written and the frame is as before, so kctl_frame_finish() never fails for
 * want of room. No function writes at or beyond frame + cap. Several frames go back to
 * back by starting the next one at frame + wire size.
 */

/**
 * Starts a frame: writes its 16-byte header (len 16, version 1, the given flags, type,
 * seq and aux). The flags and aux must make a valid frame (see the table above: one kind,
 * ERROR/MORE only with REPLY, aux an errno for ERROR, a drop count for EVENT, else 0).
 * Errors: -EINVAL (NULL or misaligned buf, flags or aux that would not decode),
 * -EMSGSIZE (cap below 16). Thread-safe on distinct buffers.
 */
KCTL_API int kctl_frame_start(void *buf, size_t cap, uint8_t flags, uint16_t type,
			      uint32_t seq, uint32_t aux);

/**
 * Appends `len` bytes of `data` to the payload (data may be NULL when len is 0).
 * Errors: -EMSGSIZE (would not fit; nothing written), -EINVAL (NULL frame or data,
 * frame not started or its len above cap).
 */
KCTL_API int kctl_frame_put(void *frame, size_t cap, const void *data, size_t len);

/**
 * Appends `len` zero bytes to the payload and sets *out to the first of them, for
 * writing in place (e.g. copying out of an mbuf). They are zeroed so that nothing stale
 * (kernel memory) can leak to the peer. Errors: as kctl_frame_put().
 */
KCTL_API int kctl_frame_reserve(void *frame, size_t cap, size_t len, void **out);

/**
 * Finishes a frame: writes zero padding after len up to the next multiple of 8 and sets
 * *wire (may be NULL) to the number of bytes to send. The frame may still grow after
 * this (finish again). Errors: -EINVAL (NULL frame, frame not started or above cap).
 */
KCTL_API int kctl_frame_finish(void *frame, size_t cap, size_t *wire);

/**
 * Writes a complete, finished error reply: flags REPLY|ERROR, the request's type and
 * seq, aux = the errno, empty payload. `errnum` may be given as EINVAL or -EINVAL.
 * *wire (may be NULL) gets the bytes to send (16). The receiver's kctl_frame_error()
 * returns -errnum. To attach attributes (a message, say), use kctl_frame_start() with
 * REPLY|ERROR instead. Errors: -EINVAL (NULL/misaligned buf, errnum 0 or beyond
 * KCTL_FRAME_ERRNO_MAX), -EMSGSIZE (cap below 16).
 */
KCTL_API int kctl_frame_put_error(void *buf, size_t cap, uint16_t type, uint32_t seq,
				  int errnum, size_t *wire);

/* ---------------------------------------------------------------------------------- */
/* Attributes                                                                         */
/* ---------------------------------------------------------------------------------- */
/*
 * Writing: each kctl_attr_put_*() appends one attribute to the payload of a started
 * frame (same frame/cap rules as kctl_frame_put()). If the payload so far is not a
 * multiple of 4 long, zero bytes are added first so the attribute starts aligned.
 * Errors of every put: -EMSGSIZE (would not fit; nothing written), -EINVAL (NULL frame,
 * frame not started, value longer than KCTL_ATTR_PAYLOAD_MAX, NULL data with len > 0).
 */

/** Appends an attribute with `len` bytes of binary value (data may be NULL if len is 0). */
KCTL_API int kctl_attr_put(void *frame, size_t cap, uint16_t type, const void *data,
			   size_t len);
/** Appends a 1-byte attribute. */
KCTL_API int kctl_attr_put_u8(void *frame, size_t cap, uint16_t type, uint8_t v);
/** Appends a 2-byte attribute (host byte order). */
KCTL_API int kctl_attr_put_u16(void *frame, size_t cap, uint16_t type, uint16_t v);
/** Appends a 4-byte attribute (host byte order). */
KCTL_API int kctl_attr_put_u32(void *frame, size_t cap, uint16_t type, uint32_t v);
/** Appends an 8-byte attribute (host byte order; the value is only 4-byte aligned). */
KCTL_API int kctl_attr_put_u64(void *frame, size_t cap, uint16_t type, uint64_t v);
/**
 * Appends a string attribute: its bytes and the terminating NUL. Errors: also -EINVAL
 * for NULL str or a string longer than KCTL_ATTR_PAYLOAD_MAX - 1 bytes.
 */
KCTL_API int kctl_attr_put_str(void *frame, size_t cap, uint16_t type, const char *str);

/**
 * Opens a nested attribute: appends an attribute header whose value will be the
 * attributes put until kctl_attr_nest_end(). *nest gets its offset in the frame.
 * Errors: as the puts.
 */
KCTL_API int kctl_attr_nest_start(void *frame, size_t cap, uint16_t type, size_t *nest);

/**
 * Closes the nested attribute opened at offset `nest`: its len becomes everything put
 * since. Errors: -EMSGSIZE (the nest grew beyond 65535 bytes; call kctl_attr_nest_cancel),
 * -EINVAL (NULL frame, frame not started, nest not an offset from kctl_attr_nest_start).
 */
KCTL_API int kctl_attr_nest_end(void *frame, size_t cap, size_t nest);

/**
 * Removes the nested attribute opened at `nest` and everything put after it.
 * Errors: -EINVAL (as kctl_attr_nest_end()).
 */
KCTL_API int kctl_attr_nest_cancel(void *frame, size_t cap, size_t nest);

/*
 * Reading: a region is any run of attributes, usually a frame's payload
 * (kctl_frame_payload()/kctl_frame_payload_len()) or a nested attribute's value. It must
 * start 4-byte aligned and be exactly a sequence of padded attributes. Attributes handed
 * out have been checked to lie inside the region, so the getters below never read out
 * of it; they check the value's length against the type asked.
 * Region errors: -EBADMSG (an attribute's len below 4), -ENODATA (the region ends inside
 * an attribute's header, value or padding), -EILSEQ (nonzero padding), -EINVAL (NULL,
 * misaligned region or NULL out/off).
 */

/**
 * Iterates: *off is where to look in the region (start with 0). Returns 1 with *out set
 * and *off advanced past the attribute, 0 at the end of the region, or a negative region
 * error (*off and *out untouched). Typical loop:
 *   size_t off = 0; const struct kctl_attr *a; int r;
 *   while ((r = kctl_attr_next(p, n, &off, &a)) > 0)
 *       switch (kctl_attr_type(a)) { case MY_ATTR: ...; default: break; }
 *   if (r < 0) the payload is malformed
 */
KCTL_API int kctl_attr_next(const void *region, size_t len, size_t *off,
			    const struct kctl_attr **out);

/**
 * Finds the first attribute of `type`, after checking the WHOLE region (a malformed
 * region is rejected even if the attribute comes before the damage).
 * Errors: -ENOENT (no such attribute; *out untouched), the region errors.
 */
KCTL_API int kctl_attr_find(const void *region, size_t len, uint16_t type,
			    const struct kctl_attr **out);

/** The type of an attribute. */
KCTL_API uint16_t kctl_attr_type(const struct kctl_attr *a);
/** Its value (4 bytes after the header, 4-byte aligned). */
KCTL_API const void *kctl_attr_payload(const struct kctl_attr *a);
/** Its value length: len - 4. */
KCTL_API size_t kctl_attr_payload_len(const struct kctl_attr *a);

/*
 * Typed getters, for attributes from kctl_attr_next()/kctl_attr_find(). On success the
 * value is stored in *v; on error *v is untouched. Errors: -EBADMSG (the value has the
 * wrong length for the type, or is not a valid string), -EINVAL (NULL a or v).
 */

/** Reads a 1-byte value. */
KCTL_API int kctl_attr_get_u8(const struct kctl_attr *a, uint8_t *v);
/** Reads a 2-byte value. */
KCTL_API int kctl_attr_get_u16(const struct kctl_attr *a, uint16_t *v);
/** Reads a 4-byte value. */
KCTL_API int kctl_attr_get_u32(const struct kctl_attr *a, uint32_t *v);
/** Reads an 8-byte value (through memcpy: it is only 4-byte aligned). */
KCTL_API int kctl_attr_get_u64(const struct kctl_attr *a, uint64_t *v);
/**
 * Points *v at a string value, which must be NUL-terminated within the value and hold
 * no other NUL (so nothing is silently cut short). The string stays in the buffer.
 */
KCTL_API int kctl_attr_get_str(const struct kctl_attr *a, const char **v);

#ifdef __cplusplus
}
#endif

#endif /* KCTL_FRAME_H */
