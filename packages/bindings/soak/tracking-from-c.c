/*
 * The C side of the speed comparison: tracking queries made with libchrony
 * the way a C client makes them (request, poll() until readable, process the
 * response, read every field with its typed getter), timed one by one.
 * libchrony is loaded with dlopen() from the path given, so nothing of it
 * is needed at build time.
 *
 * Usage: tracking-from-c LIBCHRONY ADDRESS QUERIES WARMUP
 * Prints {"mean":…,"median":…,"p99":…} in microseconds.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* chrony.h's types and the functions used, as libchrony 0.2 declares them. */
typedef struct chrony_session_s chrony_session;
enum { TYPE_NONE, TYPE_RECORD, TYPE_UINTEGER, TYPE_INTEGER, TYPE_FLOAT, TYPE_TIMESPEC, TYPE_STRING };

static int (*open_socket)(const char *);
static int (*init_session)(chrony_session **, int);
static void (*deinit_session)(chrony_session *);
static void (*close_socket)(int);
static int (*get_fd)(chrony_session *);
static int (*needs_response)(chrony_session *);
static int (*process_response)(chrony_session *);
static int (*request_record)(chrony_session *, const char *, int);
static int (*get_record_number_fields)(chrony_session *);
static int (*get_field_type)(chrony_session *, int);
static uint64_t (*get_field_uinteger)(chrony_session *, int);
static int64_t (*get_field_integer)(chrony_session *, int);
static double (*get_field_float)(chrony_session *, int);
static struct timespec (*get_field_timespec)(chrony_session *, int);
static const char *(*get_field_string)(chrony_session *, int);

static const struct {
	const char *name;
	void **address;
} functions[] = {
	{ "chrony_open_socket", (void **)&open_socket },
	{ "chrony_init_session", (void **)&init_session },
	{ "chrony_deinit_session", (void **)&deinit_session },
	{ "chrony_close_socket", (void **)&close_socket },
	{ "chrony_get_fd", (void **)&get_fd },
	{ "chrony_needs_response", (void **)&needs_response },
	{ "chrony_process_response", (void **)&process_response },
	{ "chrony_request_record", (void **)&request_record },
	{ "chrony_get_record_number_fields", (void **)&get_record_number_fields },
	{ "chrony_get_field_type", (void **)&get_field_type },
	{ "chrony_get_field_uinteger", (void **)&get_field_uinteger },
	{ "chrony_get_field_integer", (void **)&get_field_integer },
	{ "chrony_get_field_float", (void **)&get_field_float },
	{ "chrony_get_field_timespec", (void **)&get_field_timespec },
	{ "chrony_get_field_string", (void **)&get_field_string },
};

static volatile double sink;

static void *symbol(void *library, const char *name) {
	void *address = dlsym(library, name);
	if (!address) {
		fprintf(stderr, "%s: %s\n", name, dlerror());
		exit(1);
	}
	return address;
}

static void query(chrony_session *s) {
	struct pollfd pfd = { .fd = get_fd(s), .events = POLLIN };
	int i, n;

	if (request_record(s, "tracking", 0) != 0) {
		fprintf(stderr, "chrony_request_record failed\n");
		exit(1);
	}
	while (needs_response(s)) {
		if (poll(&pfd, 1, 1000) != 1 || process_response(s) != 0) {
			fprintf(stderr, "no valid response from chronyd\n");
			exit(1);
		}
	}
	n = get_record_number_fields(s);
	for (i = 0; i < n; i++) {
		switch (get_field_type(s, i)) {
		case TYPE_UINTEGER: sink += get_field_uinteger(s, i); break;
		case TYPE_INTEGER: sink += get_field_integer(s, i); break;
		case TYPE_FLOAT: sink += get_field_float(s, i); break;
		case TYPE_TIMESPEC: sink += get_field_timespec(s, i).tv_nsec; break;
		case TYPE_STRING: sink += get_field_string(s, i) != NULL; break;
		}
	}
}

static uint64_t now_ns(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

static int by_value(const void *a, const void *b) {
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
	void *library;
	chrony_session *s;
	uint64_t *durations, start;
	double total = 0;
	int fd, i, queries, warmup;

	if (argc != 5 || (queries = atoi(argv[3])) <= 0 || (warmup = atoi(argv[4])) < 0) {
		fprintf(stderr, "usage: %s LIBCHRONY ADDRESS QUERIES WARMUP\n", argv[0]);
		return 2;
	}
	if (!(library = dlopen(argv[1], RTLD_NOW))) {
		fprintf(stderr, "%s\n", dlerror());
		return 1;
	}
	for (i = 0; i < (int)(sizeof functions / sizeof *functions); i++)
		*functions[i].address = symbol(library, functions[i].name);

	if ((fd = open_socket(argv[2])) < 0 || init_session(&s, fd) != 0) {
		fprintf(stderr, "cannot open a session on %s\n", argv[2]);
		return 1;
	}
	for (i = 0; i < warmup; i++)
		query(s);
	if (!(durations = malloc(sizeof *durations * queries)))
		return 1;
	for (i = 0; i < queries; i++) {
		start = now_ns();
		query(s);
		durations[i] = now_ns() - start;
		total += durations[i];
	}
	qsort(durations, queries, sizeof *durations, by_value);
	/* libchrony removes its client socket and directory next to chronyd's only here. */
	deinit_session(s);
	close_socket(fd);
	printf("{\"mean\":%.3f,\"median\":%.3f,\"p99\":%.3f}\n", total / queries / 1000.0, durations[queries / 2] / 1000.0,
	       durations[(int)(queries * 0.99)] / 1000.0);
	return 0;
}
