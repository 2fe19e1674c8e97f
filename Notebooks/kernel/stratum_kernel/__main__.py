"""`python -m stratum_kernel -f CONNECTION_FILE`: what kernel.json starts."""

if __name__ == "__main__":
    from ipykernel.kernelapp import IPKernelApp

    from stratum_kernel.kernel import StratumKernel

    IPKernelApp.launch_instance(kernel_class=StratumKernel)
