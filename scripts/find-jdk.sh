# Sourced by ./clustermail, ./run-tests and .ci/run: sets JAVA_HOME to a JDK >= 21.
# Prefers an existing JAVA_HOME that is new enough, else the newest JDK under /usr/lib/jvm.

java_major() { # prints the feature version of the java binary $1, or 0
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n1 | cut -d. -f1 || echo 0
}

find_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ] && [ "$(java_major "$JAVA_HOME/bin/java")" -ge 21 ] 2>/dev/null; then
    return 0
  fi
  local best="" best_v=0 d v
  for d in /usr/lib/jvm/*/; do
    d=${d%/}
    [ -x "$d/bin/javac" ] || continue
    v=$(java_major "$d/bin/java")
    if [ "${v:-0}" -gt "$best_v" ] 2>/dev/null; then best=$d; best_v=$v; fi
  done
  if [ "$best_v" -lt 21 ]; then
    echo "clustermail needs a JDK 21 or newer; none found in JAVA_HOME or /usr/lib/jvm." >&2
    echo "Install one (e.g. Temurin 25) or set JAVA_HOME." >&2
    return 1
  fi
  export JAVA_HOME=$best
}

find_jdk || exit 1
export PATH="$JAVA_HOME/bin:$PATH"
# Maven 3.9's Guice uses sun.misc.Unsafe; JDK 24+ warns about it on every build unless told it is allowed.
if [ "$(java_major "$JAVA_HOME/bin/java")" -ge 24 ]; then
  case "${MAVEN_OPTS:-}" in *sun-misc-unsafe*) ;; *) export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" ;; esac
fi
