"""The files of question banks (images, sounds), served to whoever may see the questions."""
