# The soak's verdict on growth, over soak/run.sh's samples (a header line, then one line a
# sample: elapsed_s rss_kib threads fds db_connections ...). Variables: warmup (seconds of
# samples left out). For each measure: after the warm-up the samples are cut in thirds, and the
# measure grew when the median of the last third exceeds the largest value of the first third by
# more than its margin: RSS 5% (at least 2 MiB), threads 4, file descriptors 4, database
# connections 0 (soak/run.sh opens the whole pool before the first sample).
# Prints one Markdown table row a measure; exits 1 when any grew or too few samples remain.
BEGIN { FS = "\t" }
NR == 1 { for (i = 1; i <= NF; i++) column[$i] = i; next }
$1 + 0 >= warmup + 0 { n++; for (i = 1; i <= NF; i++) value[n, i] = $i + 0 }

function sorted_median(from, to, c,    k, m, i, j, t, v) {
  m = 0
  for (k = from; k <= to; k++) v[++m] = value[k, c]
  for (i = 2; i <= m; i++) {
    t = v[i]
    for (j = i - 1; j >= 1 && v[j] > t; j--) v[j + 1] = v[j]
    v[j + 1] = t
  }
  return m % 2 ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2
}

function largest(from, to, c,    k, best) {
  best = value[from, c]
  for (k = from + 1; k <= to; k++) if (value[k, c] > best) best = value[k, c]
  return best
}

function judge(name, label, unit, margin_fixed, margin_share,    c, third, before, after, margin, limit, verdict) {
  c = column[name]
  third = int(n / 3)
  before = largest(1, third, c)
  after = sorted_median(n - third + 1, n, c)
  margin = before * margin_share
  if (margin < margin_fixed) margin = margin_fixed
  limit = before + margin
  verdict = after > limit ? "GREW" : "flat"
  if (after > limit) grew++
  printf "| %s (%s) | %d | %g | %g | %g | %s |\n", label, unit, value[1, c], before, after, limit, verdict
}

END {
  if (n < 3) {
    printf "too few samples after the warm-up (%d): run longer\n", n
    exit 1
  }
  print "| measure | at the warm-up's end | first third: largest | last third: median | limit | verdict |"
  print "| --- | --- | --- | --- | --- | --- |"
  judge("rss_kib", "resident memory", "KiB", 2048, 0.05)
  judge("threads", "threads", "count", 4, 0)
  judge("fds", "open file descriptors", "count", 4, 0)
  judge("db_connections", "database connections", "count", 0, 0)
  exit grew > 0 ? 1 : 0
}
