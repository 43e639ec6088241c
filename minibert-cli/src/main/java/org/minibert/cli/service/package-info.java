/**
 * The inference service as a child process: {@link org.minibert.cli.service.ServiceProcess} starts
 * the packaged service, waits for readiness and stops it gracefully. The one way the command line,
 * the end-to-end tests and the benchmarks run the service.
 */
package org.minibert.cli.service;
