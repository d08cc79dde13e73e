"""Multi-criteria appraisal: value scores and totals, weight sensitivity, SMAA-2 robustness and weight-set comparison."""
