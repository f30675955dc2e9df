explain edition2/种子总分.rubric edition2/种子总分.csv
