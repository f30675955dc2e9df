explain -f json explain-full/满分.rubric explain-full/满分.csv --id E1
