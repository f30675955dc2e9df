# Flattens JSON (one document per input line, as JSON Lines) into one line per
# leaf value:  PATH<TAB>TYPE<TAB>VALUE
#   PATH   .total   .nodes[0].rule.text   .grade_rule.line
#   TYPE   string, number, true, false, null, object ({}), array ([])
#   VALUE  strings with \" \\ \/ decoded; \n, \t and \uXXXX are kept as written
# so the rest of a test can be plain awk or grep. POSIX awk; no jq, no python.
# A document that is not valid JSON prints "ERROR<TAB>offset N: what" and
# makes the exit status 1.

function fail(what) {
    if (!failed) printf "ERROR\toffset %d: %s\n", P, what
    failed = 1
    P = N + 1
}

function ws() {
    while (P <= N && index(" \t\r\n", substr(S, P, 1)) > 0) P++
}

function str(   c, out) {          # at the opening quote; returns the decoded text
    if (substr(S, P, 1) != "\"") { fail("expected a string"); return "" }
    P++
    out = ""
    while (P <= N) {
        c = substr(S, P, 1)
        if (c == "\"") { P++; return out }
        if (c == "\\") {
            c = substr(S, P + 1, 1)
            if (c == "\"" || c == "\\" || c == "/") out = out c
            else out = out "\\" c
            P += 2
            continue
        }
        out = out c
        P++
    }
    fail("unterminated string")
    return ""
}

function value(path,   c, k, i, start) {
    ws()
    if (P > N) { fail("expected a value"); return }
    c = substr(S, P, 1)
    if (c == "{") {
        P++; ws()
        if (substr(S, P, 1) == "}") { P++; print path "\tobject\t{}"; return }
        for (;;) {
            ws(); k = str(); ws()
            if (substr(S, P, 1) != ":") { fail("expected ':'"); return }
            P++
            value(path "." k)
            if (failed) return
            ws(); c = substr(S, P, 1); P++
            if (c == "}") return
            if (c != ",") { fail("expected ',' or '}'"); return }
        }
    }
    if (c == "[") {
        P++; ws()
        if (substr(S, P, 1) == "]") { P++; print path "\tarray\t[]"; return }
        for (i = 0; ; i++) {
            value(path "[" i "]")
            if (failed) return
            ws(); c = substr(S, P, 1); P++
            if (c == "]") return
            if (c != ",") { fail("expected ',' or ']'"); return }
        }
    }
    if (c == "\"") { k = str(); if (!failed) print path "\tstring\t" k; return }
    start = P
    while (P <= N && index("+-0123456789.eE", substr(S, P, 1)) > 0) P++
    if (P > start) { print path "\tnumber\t" substr(S, start, P - start); return }
    for (k = 4; k <= 5; k++) {
        c = substr(S, P, k)
        if (c == "true" || c == "null" || c == "false") {
            P += k; print path "\t" c "\t" c; return
        }
    }
    fail("unexpected character " substr(S, P, 1))
}

{
    S = $0; N = length(S); P = 1
    ws()
    if (P > N) next
    value("")
    ws()
    if (!failed && P <= N) fail("text after the document")
}

END { exit failed }
