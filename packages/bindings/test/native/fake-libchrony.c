/*
 * A stand-in for libchrony 0.2 with its exact ABI (the 24 functions of
 * chrony.h) and fixed, known values, to prove the koffi layer against a real
 * shared library: timespec by value, 64-bit integers beyond 2^53, bool,
 * double, strings, the session out-pointer, and a real fd to poll.
 *
 * Each socket is one end of a socketpair; a request makes the other end
 * write one byte, so poll() sees a response. Magic addresses:
 *   "never-answers"  responses never arrive (timeouts)
 *   "denied"         open fails with EACCES
 *   "refused"        open fails with ECONNREFUSED
 * Written for the tests of @chrony/bindings; not derived from libchrony.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { TYPE_NONE, TYPE_UINTEGER, TYPE_INTEGER, TYPE_FLOAT, TYPE_TIMESPEC, TYPE_STRING };
enum { C_NONE = 0, C_COUNT = 1, C_TIME = 2, C_LOG2 = 3, C_INTERVAL = 4, C_OFFSET = 5, C_MEASURE = 6,
       C_PPM = 7, C_MEASURE_PPM = 8, C_REFID = 11, C_ENUM = 12, C_BITS = 13, C_FLAGS = 14, C_ADDRESS = 15 };

typedef struct {
	const char *name;
	int type, content;
	uint64_t u;
	int64_t i;
	double f;
	const char *s;
	struct timespec ts;
	const char *const_name; /* name of the enum value, or of bit 0x1 for flags */
} Field;

typedef struct {
	const char *name;
	bool counted;
	int status;  /* chrony_err of the record response */
	int records;
	int fields;  /* per record */
	const Field *data; /* records * fields */
} Report;

static const Field tracking[] = {
	{ "reference ID", TYPE_UINTEGER, C_REFID, .u = 0x7f000001 },
	{ "address", TYPE_STRING, C_ADDRESS, .s = "127.0.0.1" },
	{ "stratum", TYPE_UINTEGER, C_COUNT, .u = 3 },
	{ "leap status", TYPE_UINTEGER, C_ENUM, .u = 1, .const_name = "insert second" },
	{ "reference time", TYPE_TIMESPEC, C_TIME, .ts = { 1700000000, 123456789 } },
	{ "current correction", TYPE_FLOAT, C_OFFSET, .f = -1.5e-06 },
	{ "last offset", TYPE_FLOAT, C_OFFSET, .f = 2.5e-07 },
	{ "RMS offset", TYPE_FLOAT, C_MEASURE, .f = 4.25e-07 },
	{ "frequency offset", TYPE_FLOAT, C_PPM, .f = -12.375 },
	{ "residual frequency", TYPE_FLOAT, C_PPM, .f = 0.0078125 },
	{ "skew", TYPE_FLOAT, C_MEASURE_PPM, .f = 0.125 },
	{ "root delay", TYPE_FLOAT, C_MEASURE, .f = 7.125e-06 },
	{ "root dispersion", TYPE_FLOAT, C_MEASURE, .f = 1.25e-06 },
	{ "last update interval", TYPE_FLOAT, C_INTERVAL, .f = 64.5 },
};

#define SOURCE(poll, mode, mode_name, ...) \
	__VA_ARGS__, \
	{ "poll", TYPE_INTEGER, C_LOG2, .i = (uint16_t)(poll) }, /* libchrony's ntohs quirk */ \
	{ "stratum", TYPE_UINTEGER, C_COUNT, .u = 0 }, \
	{ "state", TYPE_UINTEGER, C_ENUM, .u = 0, .const_name = "selected" }, \
	{ "mode", TYPE_UINTEGER, C_ENUM, .u = mode, .const_name = mode_name }, \
	{ "flags", TYPE_UINTEGER, C_NONE, .u = 0 }, \
	{ "reachability", TYPE_UINTEGER, C_BITS, .u = 255 }, \
	{ "last sample ago", TYPE_UINTEGER, C_INTERVAL, .u = 4294967295u }, \
	{ "original last sample offset", TYPE_FLOAT, C_OFFSET, .f = 2.5e-07 }, \
	{ "adjusted last sample offset", TYPE_FLOAT, C_OFFSET, .f = 1.75e-07 }, \
	{ "last sample error", TYPE_FLOAT, C_MEASURE, .f = 4.5e-06 }

static const Field sources[] = {
	SOURCE(-2, 0, "client", { "address", TYPE_STRING, C_ADDRESS, .s = "192.0.2.1" }),
	SOURCE(4, 2, "reference clock", { "reference ID", TYPE_UINTEGER, C_REFID, .u = 0x47505300 }),
};

#define SOURCESTATS(refid, address, samples) \
	{ "reference ID", TYPE_UINTEGER, C_REFID, .u = refid }, \
	{ "address", TYPE_STRING, C_ADDRESS, .s = address }, \
	{ "samples", TYPE_UINTEGER, C_COUNT, .u = samples }, \
	{ "runs", TYPE_UINTEGER, C_COUNT, .u = 4 }, \
	{ "span", TYPE_UINTEGER, C_INTERVAL, .u = 120 }, \
	{ "standard deviation", TYPE_FLOAT, C_MEASURE, .f = 2.5e-07 }, \
	{ "residual frequency", TYPE_FLOAT, C_PPM, .f = -0.005 }, \
	{ "skew", TYPE_FLOAT, C_MEASURE_PPM, .f = 0.092 }, \
	{ "offset", TYPE_FLOAT, C_OFFSET, .f = -2e-09 }, \
	{ "offset error", TYPE_FLOAT, C_MEASURE, .f = 2.5e-07 }

static const Field sourcestats[] = {
	SOURCESTATS(0xc0000201, "192.0.2.1", 8),
	SOURCESTATS(0x47505300, NULL, 0),
};

static const Field serverstats[] = {
	{ "received NTP requests", TYPE_UINTEGER, C_COUNT, .u = 9007199254740993ull },
	{ "accepted NTS-KE connections", TYPE_UINTEGER, C_COUNT, .u = 18446744073709551615ull },
	{ "received command requests", TYPE_UINTEGER, C_COUNT, .u = 78 },
	{ "dropped NTP requests", TYPE_UINTEGER, C_COUNT, .u = 0 },
	{ "dropped NTS-KE connections", TYPE_UINTEGER, C_COUNT, .u = 0 },
	{ "dropped command requests", TYPE_UINTEGER, C_COUNT, .u = 1 },
	{ "dropped client log records", TYPE_UINTEGER, C_COUNT, .u = 2 },
	{ "received authenticated NTP requests", TYPE_UINTEGER, C_COUNT, .u = 3 },
};

static const Field smoothing[] = {
	{ "flags", TYPE_UINTEGER, C_FLAGS, .u = 1, .const_name = "active" },
	{ "offset", TYPE_FLOAT, C_OFFSET, .f = 6.25e-08 },
	{ "frequency offset", TYPE_FLOAT, C_PPM, .f = 0.025 },
	{ "wander", TYPE_FLOAT, C_PPM, .f = -0.001 },
	{ "last update ago", TYPE_FLOAT, C_INTERVAL, .f = 0.5 },
	{ "remaining time", TYPE_FLOAT, C_INTERVAL, .f = 63.5 },
};

#define N(a) (int)(sizeof (a) / sizeof (a)[0])
static const Report reports[] = {
	{ "tracking", false, 0, 1, N(tracking), tracking },
	{ "sources", true, 0, 2, N(sources) / 2, sources },
	{ "sourcestats", true, 0, 2, N(sourcestats) / 2, sourcestats },
	{ "serverstats", false, 0, 1, N(serverstats), serverstats },
	{ "rtcdata", false, 10 /* CHRONY_DISABLED */, 1, 0, NULL },
	{ "smoothing", false, 0, 1, N(smoothing), smoothing },
};

static const char *errors[] = { "Success", "Failed to allocate memory", "Failed to open /dev/urandom",
	"Unknown report", "Failed to read /dev/urandom", "Failed to send request", "Failed to receive response",
	"Invalid argument", "Unexpected function call", "Not authorized", "Disabled", "Unexpected status",
	"Unsupported server version (too old)", "Unsupported server version (too new)", "Invalid response" };

#define MAX_FDS 65536
static int peer_of[MAX_FDS];
static bool silent[MAX_FDS];

typedef struct {
	int fd;
	bool pending;
	int status;
	const Report *report;
	const Field *record; /* current record's fields, NULL after a count */
	int num_fields;
	int num_records;
	/* libchrony keeps the caller's report_name pointer and reads it again in
	   chrony_process_response() (client.c follow_report); so does this fake. */
	const char *requested_name;
	char requested_copy[32];
} chrony_session;

int chrony_open_socket(const char *address) {
	int fds[2];

	if (address && strcmp(address, "denied") == 0) {
		errno = EACCES;
		return -1;
	}
	if (address && strcmp(address, "refused") == 0) {
		errno = ECONNREFUSED;
		return -1;
	}
	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, fds) < 0)
		return -1;
	if (fds[0] >= MAX_FDS) {
		close(fds[0]);
		close(fds[1]);
		errno = EMFILE;
		return -1;
	}
	peer_of[fds[0]] = fds[1];
	silent[fds[0]] = address && strcmp(address, "never-answers") == 0;
	return fds[0];
}

void chrony_close_socket(int fd) {
	if (fd < 0 || fd >= MAX_FDS)
		return;
	close(peer_of[fd]);
	close(fd);
}

const char *chrony_get_error_string(int e) {
	return e >= 0 && e < N(errors) ? errors[e] : "Unknown error";
}

int chrony_init_session(chrony_session **s, int fd) {
	*s = calloc(1, sizeof (chrony_session));
	if (!*s)
		return 1;
	(*s)->fd = fd;
	return 0;
}

void chrony_deinit_session(chrony_session *s) {
	free(s);
}

int chrony_get_fd(chrony_session *s) {
	return s->fd;
}

bool chrony_needs_response(chrony_session *s) {
	return s->pending;
}

static const Report *find_report(const char *name) {
	for (int i = 0; i < N(reports); i++)
		if (strcmp(reports[i].name, name) == 0)
			return &reports[i];
	return NULL;
}

static int send_request(chrony_session *s, int status) {
	char byte = 1;

	s->status = status;
	s->pending = true;
	if (!silent[s->fd] && send(peer_of[s->fd], &byte, 1, 0) != 1)
		return 5;
	return 0;
}

int chrony_process_response(chrony_session *s) {
	char byte;

	if (!s->pending)
		return 8;
	if (recv(s->fd, &byte, 1, 0) != 1)
		return 6;
	s->pending = false;
	/* A name that changed under the pointer is what libchrony would find unknown. */
	if (s->requested_name && strcmp(s->requested_name, s->requested_copy) != 0)
		return 3;
	return s->status;
}

int chrony_get_number_supported_reports(void) {
	return N(reports);
}

const char *chrony_get_report_name(int report) {
	return report >= 0 && report < N(reports) ? reports[report].name : NULL;
}

int chrony_request_report_number_records(chrony_session *s, const char *report_name) {
	const Report *report = find_report(report_name);

	if (!report)
		return 3;
	s->report = report;
	s->record = NULL;
	s->num_fields = 0;
	s->num_records = report->records;
	return report->counted ? send_request(s, 0) : 0;
}

int chrony_get_report_number_records(chrony_session *s) {
	return s->num_records;
}

int chrony_request_record(chrony_session *s, const char *report_name, int record) {
	const Report *report = find_report(report_name);

	if (!report)
		return 3;
	if (record < 0 || record >= report->records)
		return send_request(s, 11);
	s->requested_name = report_name;
	snprintf(s->requested_copy, sizeof (s->requested_copy), "%s", report_name);
	s->report = report;
	s->num_fields = report->status ? 0 : report->fields;
	s->record = report->data ? report->data + record * report->fields : NULL;
	return send_request(s, report->status);
}

int chrony_get_record_number_fields(chrony_session *s) {
	return s->pending ? 0 : s->num_fields;
}

static const Field *field_at(chrony_session *s, int field) {
	return s->record && !s->pending && field >= 0 && field < s->num_fields ? &s->record[field] : NULL;
}

const char *chrony_get_field_name(chrony_session *s, int field) {
	const Field *f = field_at(s, field);
	return f ? f->name : NULL;
}

int chrony_get_field_index(chrony_session *s, const char *name) {
	for (int i = 0; i < s->num_fields && s->record; i++)
		if (strcmp(s->record[i].name, name) == 0)
			return i;
	return -1;
}

int chrony_get_field_type(chrony_session *s, int field) {
	const Field *f = field_at(s, field);
	return f ? f->type : TYPE_NONE;
}

int chrony_get_field_content(chrony_session *s, int field) {
	const Field *f = field_at(s, field);
	return f ? f->content : C_NONE;
}

uint64_t chrony_get_field_uinteger(chrony_session *s, int field) {
	const Field *f = field_at(s, field);
	return f && f->type == TYPE_UINTEGER ? f->u : 0;
}

int64_t chrony_get_field_integer(chrony_session *s, int field) {
	const Field *f = field_at(s, field);
	return f && f->type == TYPE_INTEGER ? f->i : 0;
}

double chrony_get_field_float(chrony_session *s, int field) {
	const Field *f = field_at(s, field);
	return f && f->type == TYPE_FLOAT ? f->f : 0.0;
}

struct timespec chrony_get_field_timespec(chrony_session *s, int field) {
	const Field *f = field_at(s, field);
	struct timespec none = { 0, 0 };
	return f && f->type == TYPE_TIMESPEC ? f->ts : none;
}

const char *chrony_get_field_string(chrony_session *s, int field) {
	const Field *f = field_at(s, field);
	return f && f->type == TYPE_STRING ? f->s : NULL;
}

const char *chrony_get_field_constant_name(chrony_session *s, int field, uint64_t value) {
	const Field *f = field_at(s, field);
	if (!f || !f->const_name)
		return NULL;
	if (f->content == C_FLAGS)
		return value == 1 ? f->const_name : NULL;
	return value == f->u ? f->const_name : NULL;
}
