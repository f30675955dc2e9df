eval -f json veto/多行.rubric veto/多行.csv
