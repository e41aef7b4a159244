/**
 * Preloaded (`node --import`) into every function process the local runtime
 * starts. The runtime puts its children in their own process group, so a
 * terminal's Ctrl-C reaches only the runtime, which then drains and stops
 * them in order; this module makes sure a child never outlives the runtime
 * when the runtime dies without stopping them (SIGKILL, a crash): the IPC
 * channel to the parent closes, and the child exits.
 */
if (process.channel !== undefined) {
  process.channel.unref();
  process.once('disconnect', () => process.exit(0));
}
