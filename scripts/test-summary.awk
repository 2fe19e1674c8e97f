# Turns XCTest's last "Executed N tests, with [K tests skipped and] F failures" line into the
# plain closing line "P passed, F failed, K skipped".
/Executed [0-9]+ tests?, with/ { last = $0 }
END {
  if (last == "") { print "0 passed, 0 failed"; exit 1 }
  n = split(last, w, " ")
  total = w[2]; skipped = 0; failed = 0
  for (i = 1; i <= n; i++) {
    if (w[i] ~ /^skipped/) skipped = w[i - 2]
    if (w[i] ~ /^failures?$/) failed = w[i - 1]
  }
  printf "%d passed, %d failed, %d skipped\n", total - failed - skipped, failed, skipped
}
