/**
 * General MIDI names for the programs and controllers a corpus uses. Program numbers are MIDI's
 * 0..127 as stored in the files; the GM charts number them 1..128, which `gmNumber` gives.
 */
const PROGRAM_NAMES: readonly string[] = [
  // Piano
  'Acoustic Grand Piano', 'Bright Acoustic Piano', 'Electric Grand Piano', 'Honky-tonk Piano',
  'Electric Piano 1', 'Electric Piano 2', 'Harpsichord', 'Clavinet',
  // Chromatic percussion
  'Celesta', 'Glockenspiel', 'Music Box', 'Vibraphone', 'Marimba', 'Xylophone', 'Tubular Bells', 'Dulcimer',
  // Organ
  'Drawbar Organ', 'Percussive Organ', 'Rock Organ', 'Church Organ', 'Reed Organ', 'Accordion', 'Harmonica', 'Tango Accordion',
  // Guitar
  'Acoustic Guitar (nylon)', 'Acoustic Guitar (steel)', 'Electric Guitar (jazz)', 'Electric Guitar (clean)',
  'Electric Guitar (muted)', 'Overdriven Guitar', 'Distortion Guitar', 'Guitar Harmonics',
  // Bass
  'Acoustic Bass', 'Electric Bass (finger)', 'Electric Bass (pick)', 'Fretless Bass', 'Slap Bass 1', 'Slap Bass 2', 'Synth Bass 1', 'Synth Bass 2',
  // Strings
  'Violin', 'Viola', 'Cello', 'Contrabass', 'Tremolo Strings', 'Pizzicato Strings', 'Orchestral Harp', 'Timpani',
  // Ensemble
  'String Ensemble 1', 'String Ensemble 2', 'Synth Strings 1', 'Synth Strings 2', 'Choir Aahs', 'Voice Oohs', 'Synth Voice', 'Orchestra Hit',
  // Brass
  'Trumpet', 'Trombone', 'Tuba', 'Muted Trumpet', 'French Horn', 'Brass Section', 'Synth Brass 1', 'Synth Brass 2',
  // Reed
  'Soprano Sax', 'Alto Sax', 'Tenor Sax', 'Baritone Sax', 'Oboe', 'English Horn', 'Bassoon', 'Clarinet',
  // Pipe
  'Piccolo', 'Flute', 'Recorder', 'Pan Flute', 'Blown Bottle', 'Shakuhachi', 'Whistle', 'Ocarina',
  // Synth lead
  'Lead 1 (square)', 'Lead 2 (sawtooth)', 'Lead 3 (calliope)', 'Lead 4 (chiff)', 'Lead 5 (charang)', 'Lead 6 (voice)', 'Lead 7 (fifths)', 'Lead 8 (bass + lead)',
  // Synth pad
  'Pad 1 (new age)', 'Pad 2 (warm)', 'Pad 3 (polysynth)', 'Pad 4 (choir)', 'Pad 5 (bowed)', 'Pad 6 (metallic)', 'Pad 7 (halo)', 'Pad 8 (sweep)',
  // Synth effects
  'FX 1 (rain)', 'FX 2 (soundtrack)', 'FX 3 (crystal)', 'FX 4 (atmosphere)', 'FX 5 (brightness)', 'FX 6 (goblins)', 'FX 7 (echoes)', 'FX 8 (sci-fi)',
  // Ethnic
  'Sitar', 'Banjo', 'Shamisen', 'Koto', 'Kalimba', 'Bagpipe', 'Fiddle', 'Shanai',
  // Percussive
  'Tinkle Bell', 'Agogo', 'Steel Drums', 'Woodblock', 'Taiko Drum', 'Melodic Tom', 'Synth Drum', 'Reverse Cymbal',
  // Sound effects
  'Guitar Fret Noise', 'Breath Noise', 'Seashore', 'Bird Tweet', 'Telephone Ring', 'Helicopter', 'Applause', 'Gunshot',
];

const FAMILY_NAMES: readonly string[] = [
  'Piano', 'Chromatic Percussion', 'Organ', 'Guitar', 'Bass', 'Strings', 'Ensemble', 'Brass',
  'Reed', 'Pipe', 'Synth Lead', 'Synth Pad', 'Synth Effects', 'Ethnic', 'Percussive', 'Sound Effects',
];

function checkMidi7(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 0 || value > 127) throw new RangeError(`A MIDI ${what} is a whole number from 0 to 127 (got ${value}).`);
}

/** "Violin" for program 40. */
export function gmProgramName(program: number): string {
  checkMidi7(program, 'program');
  return PROGRAM_NAMES[program]!;
}

/** "Strings" for program 40: GM groups the programs in families of eight. */
export function gmFamily(program: number): string {
  checkMidi7(program, 'program');
  return FAMILY_NAMES[Math.floor(program / 8)]!;
}

/** The number the GM charts print: program 0 is GM 1. */
export function gmNumber(program: number): number {
  checkMidi7(program, 'program');
  return program + 1;
}

const CONTROLLER_NAMES: Readonly<Record<number, string>> = {
  0: 'Bank Select',
  1: 'Modulation',
  2: 'Breath Controller',
  4: 'Foot Controller',
  5: 'Portamento Time',
  6: 'Data Entry',
  7: 'Volume',
  8: 'Balance',
  10: 'Pan',
  11: 'Expression',
  12: 'Effect Control 1',
  13: 'Effect Control 2',
  32: 'Bank Select (LSB)',
  38: 'Data Entry (LSB)',
  64: 'Sustain Pedal',
  65: 'Portamento On/Off',
  66: 'Sostenuto Pedal',
  67: 'Soft Pedal',
  68: 'Legato Footswitch',
  69: 'Hold 2',
  70: 'Sound Variation',
  71: 'Resonance',
  72: 'Release Time',
  73: 'Attack Time',
  74: 'Brightness',
  75: 'Decay Time',
  76: 'Vibrato Rate',
  77: 'Vibrato Depth',
  78: 'Vibrato Delay',
  84: 'Portamento Control',
  91: 'Reverb Send',
  92: 'Tremolo Depth',
  93: 'Chorus Send',
  94: 'Detune',
  95: 'Phaser Depth',
  96: 'Data Increment',
  97: 'Data Decrement',
  98: 'NRPN (LSB)',
  99: 'NRPN (MSB)',
  100: 'RPN (LSB)',
  101: 'RPN (MSB)',
  120: 'All Sound Off',
  121: 'Reset All Controllers',
  122: 'Local Control',
  123: 'All Notes Off',
  124: 'Omni Off',
  125: 'Omni On',
  126: 'Mono On',
  127: 'Poly On',
};

/** "Sustain Pedal" for 64; controllers without a common meaning are "Controller 20". */
export function controllerName(controller: number): string {
  checkMidi7(controller, 'controller');
  return CONTROLLER_NAMES[controller] ?? `Controller ${controller}`;
}
