# Strata's run-time environment, sourced by ./strata and .ci/run (bash).
#
#   strata_find_jdk     sets STRATA_JAVA_HOME to a JDK 25+ or prints what to install and returns 2
#   strata_engine_env   exports the BLAS/OpenMP configuration the natives read when they load, and
#                       STRATA_JVM_OPTS, the JVM options every Strata JVM runs with (pom.xml's
#                       strata.jvm.args gives Surefire the same list)
#
# Order of the JDK search: $JAVA_HOME, the machine's Temurin 25, any /usr/lib/jvm/*25*, any other
# /usr/lib/jvm/* JDK, then the `java` on PATH; the first that is version 25 or newer wins.

STRATA_MIN_JAVA=25

# Prints the feature version (8, 17, 25, …) of the JDK at $1, or nothing if it is not a JDK.
strata_java_major() {
  local home="$1" version=""
  [[ -x "$home/bin/java" && -x "$home/bin/javac" ]] || return 0
  if [[ -f "$home/release" ]]; then
    version=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release")
  fi
  if [[ -z "$version" ]]; then
    version=$("$home/bin/java" -version 2>&1 | sed -n 's/.* version "\([^"]*\)".*/\1/p' | head -n 1)
  fi
  version=${version#1.}          # "1.8.0_402" → "8.0_402"
  version=${version%%[!0-9]*}    # "25.0.3" → "25"
  [[ -n "$version" ]] && echo "$version"
  return 0
}

strata_find_jdk() {
  local candidates=() home major path_java
  [[ -n "${JAVA_HOME:-}" ]] && candidates+=("$JAVA_HOME")
  candidates+=(/usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*25* /usr/lib/jvm/*)
  if path_java=$(command -v java 2>/dev/null); then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$path_java")")")")
  fi
  for home in "${candidates[@]}"; do
    [[ -d "$home" ]] || continue
    major=$(strata_java_major "$home")
    if [[ -n "$major" ]] && (( major >= STRATA_MIN_JAVA )); then
      STRATA_JAVA_HOME="$home"
      return 0
    fi
  done
  {
    echo "strata: no JDK ${STRATA_MIN_JAVA} found (looked at JAVA_HOME=${JAVA_HOME:-<unset>}, /usr/lib/jvm/*, and java on PATH)."
    echo "Install Eclipse Temurin ${STRATA_MIN_JAVA} (JDK), e.g. 'apt-get install temurin-${STRATA_MIN_JAVA}-jdk' from"
    echo "https://packages.adoptium.net, or a tarball from https://adoptium.net/temurin/releases/?version=${STRATA_MIN_JAVA},"
    echo "then set JAVA_HOME to it."
  } >&2
  return 2
}

# libtorch uses GNU OpenMP, so MKL must thread through the same runtime; the natives read these
# variables when they load, so they are set before the JVM starts (DESIGN.md, Engine).
strata_engine_env() {
  local threads="${STRATA_THREADS:-$(nproc)}"
  if ! [[ "$threads" =~ ^[1-9][0-9]*$ ]]; then
    echo "strata: STRATA_THREADS must be a positive whole number, got '$threads'" >&2
    return 2
  fi
  export MKL_THREADING_LAYER=GNU
  export OMP_NUM_THREADS="$threads"
  export MKL_NUM_THREADS="$threads"
  # MKL in OpenBLAS's place; nopointergc: JavaCPP skips its garbage-collector bookkeeping of every
  # new native object (a synchronized list and a resident-memory check, most of the per-op cost),
  # which is safe because every step, decode token and loop runs in a PointerScope that frees its
  # temporaries (a native object made outside any scope is then freed only by close()).
  export STRATA_JVM_OPTS="--enable-native-access=ALL-UNNAMED -Dorg.bytedeco.openblas.load=mkl_rt -Dorg.bytedeco.javacpp.nopointergc=true"
}
