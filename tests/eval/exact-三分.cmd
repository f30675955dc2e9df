eval -f json exact/三分.rubric exact/三分.csv
