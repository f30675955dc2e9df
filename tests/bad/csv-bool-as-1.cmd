eval -f csv base.rubric in/csv-bool-as-1.csv
