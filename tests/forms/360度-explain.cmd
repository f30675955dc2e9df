explain ../../rubrics/360度综合评价表.rubric 360度.csv --id M010
