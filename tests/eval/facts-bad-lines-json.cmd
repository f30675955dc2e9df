eval -f json show/显示.rubric show/bad
