"""Where does a training step's time go? Times the pieces of one step on the real data.

Run: python benchmarks/profile_training.py --dataset ../shared/flower_photos
Prints milliseconds per batch (median over repeats) for the input pipeline alone,
each augmentation layer alone, and a full training step of the baseline and the
augmented model under several settings, and writes the table to
benchmarks/results/profile_training.md.
"""
