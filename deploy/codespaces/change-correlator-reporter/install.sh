#!/bin/sh
# Installs the reporter when the dev container image is built. The repository does not exist
# yet, so the git hooks go in through core.hooksPath (system config) and chain each repository's
# own hooks when they run. Feature options arrive as URL and TRAILER.
set -eu

ROOT="${CHANGE_CORRELATOR_ROOT:-/usr/local/share/change-correlator}"
HERE="$(cd "$(dirname "$0")" && pwd)"

mkdir -p "$ROOT/hooks"
cp "$HERE/reporter" "$ROOT/reporter"
for hook in post-commit post-checkout pre-push prepare-commit-msg post-merge post-rewrite; do
    cp "$HERE/hooks/hook" "$ROOT/hooks/$hook"
done
chmod 0755 "$ROOT/reporter" "$ROOT"/hooks/*

cat > "$ROOT/config" <<CONFIG
CHANGE_CORRELATOR_URL='$(printf '%s' "${URL:-}" | sed "s/'/'\\\\''/g")'
CHANGE_CORRELATOR_TRAILER='$( [ "${TRAILER:-false}" = true ] && echo true || echo false )'
CONFIG
chmod 0644 "$ROOT/config"

git config --system core.hooksPath "$ROOT/hooks"

# Programs run in the Codespace that use OpenTelemetry tag their own spans with who and where.
PROFILE_DIR="${CHANGE_CORRELATOR_PROFILE_DIR:-/etc/profile.d}"
if [ -d "$PROFILE_DIR" ]; then
    cat > "$PROFILE_DIR/change-correlator.sh" <<'PROFILE'
# Values are percent-encoded as W3C baggage values (OpenTelemetry decodes them): a branch named
# "a,b=c" must not add an attribute of its own. Everything but printable ASCII, and , ; = % " \
# and space, becomes %XX of its UTF-8 bytes.
_cc_encode() {
    printf '%s' "$1" | od -An -v -tx1 | awk '
        BEGIN { hex = "0123456789abcdef" }
        { for (i = 1; i <= NF; i++) {
              d = (index(hex, substr($i, 1, 1)) - 1) * 16 + index(hex, substr($i, 2, 1)) - 1
              if (d < 33 || d > 126 || d == 34 || d == 37 || d == 44 || d == 59 || d == 61 || d == 92)
                  printf "%%%s", toupper($i)
              else
                  printf "%c", d
          } }'
}
if [ -n "${CODESPACE_NAME:-}" ]; then
    _cc_branch="$(git branch --show-current 2>/dev/null || true)"
    OTEL_RESOURCE_ATTRIBUTES="${OTEL_RESOURCE_ATTRIBUTES:+$OTEL_RESOURCE_ATTRIBUTES,}github.codespace.name=$(_cc_encode "${CODESPACE_NAME}"),enduser.id=$(_cc_encode "${GITHUB_USER:-}"),vcs.repository.name=$(_cc_encode "${GITHUB_REPOSITORY:-}"),vcs.ref.head.name=$(_cc_encode "${_cc_branch}")"
    export OTEL_RESOURCE_ATTRIBUTES
    unset _cc_branch
fi
unset -f _cc_encode
PROFILE
fi
echo "change-correlator reporter installed in $ROOT (hooks through core.hooksPath)"
