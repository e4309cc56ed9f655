/* The fuzz harnesses without libFuzzer, for `make test`: replays every file of the directories
 * (or files) named on the command line through the harness's LLVMFuzzerTestOneInput, each in a
 * child process, so that a crash, a sanitizer report or a leak fails that input alone. Prints
 * each failure in the tests' "path:line:F:" form and a summary; appends "passed failed" to
 * $PERMANENCE_TEST_RESULT_FILE when it is set. Exits 0 when every input passed. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

struct tally {
  int passed;
  int failed;
};

/* Reads the whole file into a buffer of exactly its size (so that ASan sees a read past it):
 * the caller frees *data. Returns 0, or -1 when it cannot be read. */
static int read_input(const char *path, uint8_t **data, size_t *size) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    return -1;
  }
  int rc = -1;
  if (fseek(f, 0, SEEK_END) == 0) {
    long length = ftell(f);
    *size = length > 0 ? (size_t)length : 0;
    *data = malloc(*size > 0 ? *size : 1);
    rewind(f);
    if (length >= 0 && *data != NULL && fread(*data, 1, *size, f) == *size) {
      rc = 0;
    } else {
      free(*data);
    }
  }
  fclose(f);
  return rc;
}

/* Runs one input in a child process and counts it. */
static void replay_file(const char *path, struct tally *tally) {
  fflush(NULL);
  pid_t pid = fork();
  if (pid == 0) {
    uint8_t *data = NULL;
    size_t size = 0;
    if (read_input(path, &data, &size) != 0) {
      fprintf(stderr, "%s: cannot be read\n", path);
      exit(2);
    }
    LLVMFuzzerTestOneInput(data, size);
    free(data);
    exit(0);
  }
  int status = 0;
  if (pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
      WEXITSTATUS(status) == 0) {
    tally->passed++;
    return;
  }
  tally->failed++;
  printf("%s:0:F:fuzz-replay: the input fails (%s %d)\n", path,
         WIFSIGNALED(status) ? "signal" : "exit status",
         WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
}

/* A directory's regular files (not its subdirectories nor dot files), or the file itself. */
static void replay_path(const char *path, struct tally *tally) {
  struct stat st;
  if (stat(path, &st) != 0) {
    return; /* a harness may have no regressions yet */
  }
  if (!S_ISDIR(st.st_mode)) {
    replay_file(path, tally);
    return;
  }
  struct dirent **entries = NULL;
  int n = scandir(path, &entries, NULL, alphasort);
  for (int i = 0; i < n; i++) {
    char file[4096];
    snprintf(file, sizeof file, "%s/%s", path, entries[i]->d_name);
    if (entries[i]->d_name[0] != '.' && stat(file, &st) == 0 && S_ISREG(st.st_mode)) {
      replay_file(file, tally);
    }
    free(entries[i]);
  }
  free(entries);
}

int main(int argc, char **argv) {
  struct tally tally = {0, 0};
  for (int i = 1; i < argc; i++) {
    replay_path(argv[i], &tally);
  }
  printf("%s: %d inputs replayed, %d failed\n", argv[0], tally.passed + tally.failed,
         tally.failed);
  if (tally.passed + tally.failed == 0) {
    printf("%s:0:F:fuzz-replay: no input to replay\n", argv[0]);
    tally.failed = 1;
  }
  const char *results = getenv("PERMANENCE_TEST_RESULT_FILE");
  FILE *f = results != NULL ? fopen(results, "a") : NULL;
  if (f != NULL) {
    fprintf(f, "%d %d\n", tally.passed, tally.failed);
    fclose(f);
  }
  return tally.failed == 0 ? 0 : 1;
}
