/** The one fake clock of the test kit (it lives beside the telephony tests that grew it first). */
export { FakeClock } from '../../server/src/telephony/testing/fake-clock.ts';
