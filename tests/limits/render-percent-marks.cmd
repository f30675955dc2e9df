render -f md percent-marks.rubric
