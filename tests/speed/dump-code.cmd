check --dump-code code.rubric
