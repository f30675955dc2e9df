eval -f csv limits/output-300-rules.rubric limits/output-300-rules.csv
