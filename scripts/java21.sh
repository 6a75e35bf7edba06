# Sourced by the scripts: sets $java to a Java 21 or newer and exports JAVA_HOME to match (./mvnw uses it),
# or explains what to do and exits. Looks at $JAVA_HOME first, then java on the PATH, then the usual JDK folders.

java_major() { # 17, 21, 25; 1 for 1.8
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {split($2, v, "."); print v[1]}'
}

find_java21() {
  local candidate major found=()
  if [[ -n "${JAVA_HOME:-}" ]]; then
    major="$(java_major "$JAVA_HOME/bin/java" 2>/dev/null || true)"
    if [[ "$major" =~ ^[0-9]+$ ]] && ((major >= 21)); then
      java="$JAVA_HOME/bin/java"
      return 0
    fi
    echo "JAVA_HOME ($JAVA_HOME) is Java ${major:-unknown}; rank-cluster needs Java 21 or newer." >&2
    echo "Point JAVA_HOME at a JDK 21+, e.g. JAVA_HOME=/usr/lib/jvm/temurin-21-jdk-amd64 $0 ..." >&2
    exit 1
  fi
  for candidate in "$(command -v java 2>/dev/null || true)" /usr/lib/jvm/*/bin/java \
    /Library/Java/JavaVirtualMachines/*/Contents/Home/bin/java; do
    [[ -n "$candidate" && -x "$candidate" ]] || continue
    major="$(java_major "$candidate")"
    if [[ "$major" =~ ^[0-9]+$ ]] && ((major >= 21)); then
      java="$candidate"
      JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$candidate")")")"
      export JAVA_HOME
      return 0
    fi
    found+=("$candidate (Java $major)")
  done
  echo "rank-cluster needs Java 21 or newer; found ${found[*]:-no java at all}." >&2
  echo "Install a JDK 21+ (e.g. from https://adoptium.net) and set JAVA_HOME to it." >&2
  exit 1
}
find_java21
