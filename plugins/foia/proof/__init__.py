"""The proof: fingerprints of everything withheld, the text a reader sees in each output
format, the normalised form both are compared in, and the scan of a finished site
folder. It knows no generator and reads only the folder it is given."""
