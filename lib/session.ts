/**
 * What every notebook does first (its first cell): choose the compute backend and the run profile, say
 * both, and load the examples the profile uses.
 */
export { chooseProfile, PROFILES, stepsPerEpoch } from "./session/profile";
export type { Profile, ProfileName } from "./session/profile";
export { describeMachine, loadProfileData, startSession } from "./session/session";
export type { Session } from "./session/session";
