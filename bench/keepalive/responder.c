/*
 * bench/keepalive/responder.c -- the phones behind NAT: answers every SIP request it gets
 * (the proxy's keepalive OPTIONS) with 200 OK, as a phone does, on UDP 127.0.0.1 ports
 * BASE .. BASE+COUNT-1 (each port stands for the NAT mappings of many phones).
 *
 * Built by run.sh at run time into the results folder (never committed as a binary):
 *   gcc -O2 -Wall -o responder responder.c
 * Usage: responder BASE COUNT [STATS_FILE]
 *   Every second STATS_FILE (default responder.stats) is rewritten with
 *   "<received requests> <answers sent> <other datagrams> <send errors>", cumulative.
 *   SIGTERM/SIGINT: prints the totals and exits.
 *
 * Cheap next to the proxy: one epoll over all sockets, recvmmsg/sendmmsg in batches of 64,
 * no allocation, the answer built by copying Via/From/To/Call-ID/CSeq (To gets a tag).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64
#define MAXLEN 4096

static volatile sig_atomic_t stopping;
static void on_signal(int s) { (void)s; stopping = 1; }

static unsigned long long received, answered, other, send_errors;

/* header name of a line, compact forms included: 1 Via, 2 From, 3 To, 4 Call-ID, 5 CSeq, 0 other */
static int header_kind(const char *line, size_t len) {
    const char *colon = memchr(line, ':', len);
    if (!colon) return 0;
    size_t n = (size_t)(colon - line);
    while (n > 0 && (line[n - 1] == ' ' || line[n - 1] == '\t')) n--;
#define IS(s) (n == sizeof(s) - 1 && strncasecmp(line, s, n) == 0)
    if (IS("Via") || IS("v")) return 1;
    if (IS("From") || IS("f")) return 2;
    if (IS("To") || IS("t")) return 3;
    if (IS("Call-ID") || IS("i")) return 4;
    if (IS("CSeq")) return 5;
#undef IS
    return 0;
}

/* the 200 OK to a request, or 0 when the datagram is no request (a response, a CRLF keepalive) */
static int answer(const char *req, size_t len, char *out, size_t cap) {
    static const char status[] = "SIP/2.0 200 OK\r\n";
    static const char tail[] = "Content-Length: 0\r\n\r\n";
    static const char tag[] = ";tag=ka-responder";
    if (len < 16 || memcmp(req, "SIP/2.0", 7) == 0) return 0;
    size_t o = 0;
    memcpy(out, status, sizeof(status) - 1);
    o += sizeof(status) - 1;
    const char *p = memchr(req, '\n', len); /* skip the request line */
    if (!p) return 0;
    p++;
    const char *end = req + len;
    int seen = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
        size_t body = (l > 0 && p[l - 1] == '\r') ? l - 1 : l;
        if (body == 0) break; /* end of the headers */
        int k = header_kind(p, body);
        if (k) {
            int to_without_tag = k == 3 && !memmem(p, body, ";tag=", 5);
            if (o + body + sizeof(tag) + 2 + sizeof(tail) >= cap) return 0;
            memcpy(out + o, p, body);
            o += body;
            if (to_without_tag) {
                memcpy(out + o, tag, sizeof(tag) - 1);
                o += sizeof(tag) - 1;
            }
            out[o++] = '\r';
            out[o++] = '\n';
            seen |= 1 << k;
        }
        if (!nl) break;
        p = nl + 1;
    }
    if ((seen & 0x3e) != 0x3e) return 0; /* not a SIP request we can answer */
    memcpy(out + o, tail, sizeof(tail) - 1);
    return (int)(o + sizeof(tail) - 1);
}

static void write_stats(const char *file) {
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", file);
    FILE *f = fopen(tmp, "w");
    if (!f) return;
    fprintf(f, "%llu %llu %llu %llu\n", received, answered, other, send_errors);
    fclose(f);
    rename(tmp, file);
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s BASE COUNT [STATS_FILE]\n", argv[0]);
        return 2;
    }
    int base = atoi(argv[1]), count = atoi(argv[2]);
    const char *stats = argc > 3 ? argv[3] : "responder.stats";
    if (base < 1 || count < 1 || base + count - 1 > 65535) {
        fprintf(stderr, "bad port range\n");
        return 2;
    }
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    int ep = epoll_create1(0);
    for (int i = 0; i < count; i++) {
        int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((unsigned short)(base + i))};
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        int rcv = 1 << 20;
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof rcv);
        if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0) {
            fprintf(stderr, "port %d: %s\n", base + i, strerror(errno));
            return 1;
        }
        struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};
        epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
    }
    printf("responder: %d UDP ports %d-%d on 127.0.0.1\n", count, base, base + count - 1);
    fflush(stdout);

    static char in[BATCH][MAXLEN], out[BATCH][MAXLEN];
    static struct sockaddr_in from[BATCH];
    static struct iovec iin[BATCH], iout[BATCH];
    static struct mmsghdr rx[BATCH], tx[BATCH];
    struct epoll_event events[256];
    time_t last = 0;
    while (!stopping) {
        int n = epoll_wait(ep, events, 256, 500);
        for (int e = 0; e < n; e++) {
            int fd = events[e].data.fd;
            for (;;) {
                for (int i = 0; i < BATCH; i++) {
                    iin[i] = (struct iovec){in[i], MAXLEN};
                    rx[i].msg_hdr = (struct msghdr){.msg_name = &from[i], .msg_namelen = sizeof from[i],
                                                    .msg_iov = &iin[i], .msg_iovlen = 1};
                }
                int got = recvmmsg(fd, rx, BATCH, MSG_DONTWAIT, NULL);
                if (got <= 0) break;
                int m = 0;
                for (int i = 0; i < got; i++) {
                    int len = answer(in[i], rx[i].msg_len, out[m], MAXLEN);
                    if (len <= 0) {
                        other++;
                        continue;
                    }
                    received++;
                    iout[m] = (struct iovec){out[m], (size_t)len};
                    tx[m].msg_hdr = (struct msghdr){.msg_name = &from[i], .msg_namelen = sizeof from[i],
                                                    .msg_iov = &iout[m], .msg_iovlen = 1};
                    m++;
                }
                for (int s = 0; s < m;) {
                    int sent = sendmmsg(fd, tx + s, (unsigned)(m - s), 0);
                    if (sent <= 0) {
                        send_errors += (unsigned)(m - s);
                        break;
                    }
                    answered += (unsigned)sent;
                    s += sent;
                }
                if (got < BATCH) break;
            }
        }
        time_t now = time(NULL);
        if (now != last) {
            write_stats(stats);
            last = now;
        }
    }
    write_stats(stats);
    printf("responder: %llu requests, %llu answered, %llu other datagrams, %llu send errors\n", received, answered,
           other, send_errors);
    return 0;
}
