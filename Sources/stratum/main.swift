print("stratum")
