eval -f csv in/op-eq.rubric in/op.csv
