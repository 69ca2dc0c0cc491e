/*
 * mockcluster: hosts librdkafka's in-process mock Kafka cluster on loopback ports, so the
 * Kafka integration tests can talk the real wire protocol without a broker (none is packaged
 * for Debian or npm). Needs librdkafka-dev (rdkafka_mock.h, librdkafka >= 1.3).
 *
 * Build: gcc -O2 -o tools/kafka-mock/mockcluster tools/kafka-mock/mockcluster.c -lrdkafka
 * Usage: mockcluster [-b brokers] [-t topic:partitions]... [-a apikey:min:max]... [-d]
 * Prints one line "BOOTSTRAP=host:port,..." on stdout once ready, then runs until SIGTERM/SIGINT.
 *
 * The mock API is marked experimental by librdkafka (no ABI promise); it is only used in tests.
 */
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t running = 1;

static void on_signal(int sig) {
  (void)sig;
  running = 0;
}

#define MAX_TOPICS 64

int main(int argc, char **argv) {
  int brokers = 1, debug = 0, opt, ntopics = 0;
  char *topics[MAX_TOPICS];
  char *apiversions[MAX_TOPICS];
  int napi = 0;
  char errstr[512];

  while ((opt = getopt(argc, argv, "b:t:a:d")) != -1) {
    switch (opt) {
    case 'b': brokers = atoi(optarg); break;
    case 't': if (ntopics < MAX_TOPICS) topics[ntopics++] = optarg; break;
    case 'a': if (napi < MAX_TOPICS) apiversions[napi++] = optarg; break;
    case 'd': debug = 1; break;
    default:
      fprintf(stderr, "usage: %s [-b brokers] [-t topic:partitions]... [-a key:min:max]... [-d]\n", argv[0]);
      return 2;
    }
  }
  if (brokers < 1) brokers = 1;

  /* The mock cluster must hang off a client handle; this producer never connects anywhere
   * (hence librdkafka's harmless "No bootstrap.servers configured" warning). */
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  if (debug && rd_kafka_conf_set(conf, "debug", "mock,protocol", errstr, sizeof errstr) != RD_KAFKA_CONF_OK)
    fprintf(stderr, "debug: %s\n", errstr);
  rd_kafka_conf_set(conf, "log_level", debug ? "7" : "3", errstr, sizeof errstr);
  rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
  if (!rk) {
    fprintf(stderr, "rd_kafka_new: %s\n", errstr);
    return 1;
  }

  rd_kafka_mock_cluster_t *mc = rd_kafka_mock_cluster_new(rk, brokers);
  if (!mc) {
    fprintf(stderr, "rd_kafka_mock_cluster_new failed\n");
    rd_kafka_destroy(rk);
    return 1;
  }

  for (int i = 0; i < ntopics; i++) {
    char *spec = topics[i];
    char *colon = strrchr(spec, ':');
    int partitions = 1;
    if (colon) {
      *colon = '\0';
      partitions = atoi(colon + 1);
      if (partitions < 1) partitions = 1;
    }
    int replication = brokers < 3 ? brokers : 3;
    rd_kafka_resp_err_t err = rd_kafka_mock_topic_create(mc, spec, partitions, replication);
    if (err) fprintf(stderr, "topic %s: %s\n", spec, rd_kafka_err2str(err));
  }

  for (int i = 0; i < napi; i++) {
    int key, min, max;
    if (sscanf(apiversions[i], "%d:%d:%d", &key, &min, &max) == 3)
      rd_kafka_mock_set_apiversion(mc, (int16_t)key, (int16_t)min, (int16_t)max);
    else
      fprintf(stderr, "bad -a %s (want key:min:max)\n", apiversions[i]);
  }

  signal(SIGTERM, on_signal);
  signal(SIGINT, on_signal);

  printf("BOOTSTRAP=%s\n", rd_kafka_mock_cluster_bootstraps(mc));
  fflush(stdout);

  while (running) rd_kafka_poll(rk, 200);

  rd_kafka_mock_cluster_destroy(mc);
  rd_kafka_destroy(rk);
  return 0;
}
