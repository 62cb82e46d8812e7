# Sourced by the bin/ scripts: finds a JDK >= 21 and exports JAVA_HOME.
# Order: JAVA_HOME if it qualifies, else the newest JDK under /usr/lib/jvm.

java_major() { # prints the feature version of the java binary in $1
  "$1" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

find_jdk() {
  local min=21 best="" best_v=0 dir v
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    v=$(java_major "$JAVA_HOME/bin/java")
    if [ "${v:-0}" -ge "$min" ]; then echo "$JAVA_HOME"; return 0; fi
    echo "JAVA_HOME=$JAVA_HOME is Java ${v:-unknown}; looking for Java $min+ under /usr/lib/jvm" >&2
  fi
  for dir in /usr/lib/jvm/*/; do
    dir=${dir%/}
    [ -x "$dir/bin/javac" ] && [ ! -L "$dir" ] || continue
    v=$(java_major "$dir/bin/java")
    if [ "${v:-0}" -gt "$best_v" ]; then best="$dir"; best_v="$v"; fi
  done
  if [ "$best_v" -ge "$min" ]; then echo "$best"; return 0; fi
  cat >&2 <<MSG
flagsync needs a JDK $min or later (found none: JAVA_HOME=${JAVA_HOME:-unset}, newest under /usr/lib/jvm is ${best_v:-none}).
Install one, for example Eclipse Temurin 21 or 25 (https://adoptium.net), then either set JAVA_HOME
to it or install it under /usr/lib/jvm.
MSG
  return 1
}

JAVA_HOME=$(find_jdk) || exit 1
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"

# Compiles MODULE's tests and what they need (up to PHASE, default test-compile; package also
# builds the jars), then prints their classpath: for the benchmark mains under */src/test.
# MAVEN_ARGS=-o builds offline.
test_classpath() {
  local module=$1 phase=${2:-test-compile}
  ./mvnw -B -ntp -q ${MAVEN_ARGS:-} -pl "$module" -am -DskipTests "$phase" dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/test.classpath >&2
  echo "$PWD/$module/target/test-classes:$PWD/$module/target/classes:$(cat "$module/target/test.classpath")"
}
