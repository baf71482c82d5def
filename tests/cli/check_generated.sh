#!/bin/bash
# Checks the generated bash completion (by completing real command lines) and the man page (groff warnings).
# usage: check_generated.sh <mainflux-cli.bash> <mainflux-cli.1>
set -u
completion="$1"
manpage="$2"
failures=0

bash -n "$completion" || { echo "FAIL: completion has syntax errors"; exit 1; }
# shellcheck disable=SC1090
source "$completion"

expect() { # expect "<expected word>" word...  (the last word is the one being completed)
    local expected="$1"
    shift
    COMP_WORDS=(mainflux-cli "$@")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMPREPLY=()
    _mainflux_cli
    if [[ " ${COMPREPLY[*]} " == *" $expected "* ]]; then
        echo "PASS: mainflux-cli $* -> $expected"
    else
        echo "FAIL: mainflux-cli $* -> expected $expected, got: ${COMPREPLY[*]}"
        failures=$((failures + 1))
    fi
}
expect_none() {
    COMP_WORDS=(mainflux-cli "$@")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMPREPLY=()
    _mainflux_cli
    if ((${#COMPREPLY[@]} == 0)); then
        echo "PASS: mainflux-cli $* -> nothing"
    else
        echo "FAIL: mainflux-cli $* -> expected nothing, got: ${COMPREPLY[*]}"
        failures=$((failures + 1))
    fi
}

expect things ""
expect provision pro
expect version v
expect reset-password users ""
expect apply provision a
expect key things k
expect --show-keys things get --s
expect --mainflux-url things get --main
expect --subtopic msg send --sub
expect watch msg w
expect --count msg watch --co
expect --ws-url msg watch --ws
expect json things get -f ""
expect device things create --type ""
expect channels -m http://h:8180 ch            # a global option's value is not a command word
expect things help ""
expect_none things get --name ""               # a value is expected: no words offered

warnings=$(groff -man -Tutf8 -ww -z "$manpage" 2>&1)
if [[ -n "$warnings" ]]; then
    echo "FAIL: man page warnings: $warnings"
    failures=$((failures + 1))
fi
for section in NAME SYNOPSIS "GLOBAL OPTIONS" COMMANDS ENVIRONMENT FILES "EXIT STATUS"; do
    grep -q "^\.SH $section" "$manpage" || { echo "FAIL: man page lacks $section"; failures=$((failures + 1)); }
done
grep -q 'provision apply' "$manpage" || { echo "FAIL: man page lacks provision apply"; failures=$((failures + 1)); }
grep -q 'msg watch' "$manpage" || { echo "FAIL: man page lacks msg watch"; failures=$((failures + 1)); }
grep -q 'MF_WS_URL' "$manpage" || { echo "FAIL: man page lacks MF_WS_URL"; failures=$((failures + 1)); }

echo "$failures failure(s)"
((failures == 0))
