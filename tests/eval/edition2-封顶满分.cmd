eval -f json edition2/封顶满分.rubric edition2/封顶满分.csv edition2/封顶满分2.csv edition2/封顶满分3.csv
