eval -f csv base.rubric in/good1.facts in/facts/nul-byte.facts in/good3.facts
