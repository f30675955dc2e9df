# bash completion for rubric(1). Installed by `make install` as
# share/bash-completion/completions/rubric; to try it without installing:
#   source completion/rubric.bash
# Completes the commands, each command's options, the values of -f (per
# command), --lang and -o, .rubric files where a rubric goes and fact files
# (.facts, .csv, .xlsx, folders) where facts go.

# _rubric_files EXT...: the files in the current word whose name ends in one
# of EXT (any case), and every folder, to walk into
_rubric_files()
{
    local cur=$1 f ext lower
    shift
    compopt -o filenames 2>/dev/null
    while IFS= read -r f; do
        if [[ -d $f ]]; then
            COMPREPLY+=("$f")
            continue
        fi
        lower=${f,,}
        for ext in "$@"; do
            if [[ $lower == *"$ext" ]]; then
                COMPREPLY+=("$f")
                break
            fi
        done
    done < <(compgen -f -- "$cur")
}

_rubric()
{
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
    local commands="check eval explain test fmt render diff report template"
    COMPREPLY=()

    # the command is the first word that is not an option (nor --lang's value)
    local cmd="" i=1 w
    while ((i < COMP_CWORD)); do
        w=${COMP_WORDS[i]}
        if [[ $w == --lang ]]; then
            ((i += 2))
            continue
        fi
        if [[ $w != -* ]]; then
            cmd=$w
            break
        fi
        ((i++))
    done

    if [[ $prev == --lang ]]; then
        COMPREPLY=($(compgen -W "zh en" -- "$cur"))
        return 0
    fi
    if [[ -z $cmd ]]; then
        COMPREPLY=($(compgen -W "$commands --help -h --version --lang" -- "$cur"))
        return 0
    fi

    # options per command; those in $takes take a value
    local opts takes formats=""
    case $cmd in
    check) opts="-v --verbose --dump-ast --dump-tokens" takes="" ;;
    eval)
        opts="-f --format -o --output --bom --sheet --strict -j --jobs"
        takes="-f --format -o --output --sheet -j --jobs"
        formats="table csv tsv json xlsx"
        ;;
    explain)
        opts="-f --format --id" takes="-f --format --id"
        formats="text json"
        ;;
    test) opts="--run --coverage" takes="--run" ;;
    fmt) opts="--check -w --write --diff" takes="" ;;
    render)
        opts="-f --format -o --output" takes="-f --format -o --output"
        formats="md html"
        ;;
    diff) opts="" takes="" ;;
    report) opts="-o --output" takes="-o --output" ;;
    template)
        opts="-f --format -o --output --bom" takes="-f --format -o --output"
        formats="csv xlsx"
        ;;
    *) return 0 ;;
    esac
    opts="$opts --help --lang"

    case $prev in
    -f | --format)
        COMPREPLY=($(compgen -W "$formats" -- "$cur"))
        return 0
        ;;
    -o | --output)
        compopt -o filenames 2>/dev/null
        COMPREPLY=($(compgen -f -- "$cur"))
        return 0
        ;;
    --sheet | --id | --run) return 0 ;;
    -j | --jobs)
        COMPREPLY=($(compgen -W "1 2 4 $(nproc 2>/dev/null)" -- "$cur"))
        return 0
        ;;
    esac
    if [[ $cur == --format=* ]]; then
        COMPREPLY=($(compgen -P --format= -W "$formats" -- "${cur#--format=}"))
        return 0
    fi
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
        return 0
    fi

    # which operand this is: count the words after the command that are
    # neither options nor an option's value
    local n=0 skip=""
    for ((i = i + 1; i < COMP_CWORD; i++)); do
        w=${COMP_WORDS[i]}
        if [[ -n $skip ]]; then
            skip=""
        elif [[ $w == --lang || " $takes " == *" $w "* ]]; then
            skip=1
        elif [[ $w != -?* ]]; then
            ((n++))
        fi
    done

    local facts=".facts .csv .xlsx"
    case $cmd in
    check | test | fmt | render | template) _rubric_files "$cur" .rubric ;;
    eval | explain | report)
        if ((n == 0)); then
            _rubric_files "$cur" .rubric
        else
            _rubric_files "$cur" $facts
        fi
        ;;
    diff)
        if ((n < 2)); then
            _rubric_files "$cur" .rubric
        else
            _rubric_files "$cur" $facts
        fi
        ;;
    esac
    return 0
}

complete -F _rubric rubric
