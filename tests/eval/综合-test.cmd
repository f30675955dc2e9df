test 综合/综合.rubric
