/**
 * The words and file kinds the generator draws from. Weights and sizes are rough shares seen in
 * business Dropbox accounts: mostly documents and photos, some code checkouts, a few big media
 * and archive files that reach gigabytes.
 */

/** A family of files: its extensions, share of all files and a log-normal size (median, spread). */
export interface FileKind {
  readonly extensions: readonly string[];
  readonly weight: number;
  /** Median size in bytes. */
  readonly medianBytes: number;
  /** Standard deviation of ln(size). */
  readonly sigma: number;
  readonly stems: readonly string[];
}

export const FILE_KINDS: readonly FileKind[] = [
  {
    extensions: ['docx', 'pdf', 'xlsx', 'pptx', 'txt', 'md', 'odt', 'rtf', 'csv', 'doc', 'key', 'pages'],
    weight: 30,
    medianBytes: 90_000,
    sigma: 1.6,
    stems: ['Report', 'Invoice', 'Contract', 'Minutes', 'Budget', 'Proposal', 'Notes', 'Draft', 'Summary', 'Plan', 'Agenda', 'Résumé', 'Quote', 'Spec'],
  },
  {
    extensions: ['jpg', 'jpeg', 'png', 'heic', 'gif', 'webp', 'tiff', 'raw', 'svg', 'psd'],
    weight: 30,
    medianBytes: 2_200_000,
    sigma: 1.1,
    stems: ['IMG', 'DSC', 'Photo', 'Screenshot', 'Scan', 'PXL', 'Logo', 'Banner', 'Mockup'],
  },
  {
    extensions: ['ts', 'js', 'json', 'py', 'go', 'rs', 'java', 'c', 'h', 'css', 'html', 'yml', 'sh', 'lock'],
    weight: 24,
    medianBytes: 3_500,
    sigma: 1.5,
    stems: ['index', 'main', 'utils', 'config', 'server', 'client', 'test', 'types', 'handler', 'model', 'view', 'schema', 'README'],
  },
  {
    extensions: ['zip', 'tar.gz', '7z', 'rar', 'dmg', 'iso', 'tgz'],
    weight: 3,
    medianBytes: 40_000_000,
    sigma: 2.0,
    stems: ['backup', 'export', 'archive', 'release', 'dump', 'photos', 'site'],
  },
  {
    extensions: ['mp4', 'mov', 'mkv', 'mp3', 'wav', 'm4a', 'avi'],
    weight: 5,
    medianBytes: 60_000_000,
    sigma: 1.9,
    stems: ['VID', 'Recording', 'Interview', 'Podcast', 'Webinar', 'Clip', 'Voice memo'],
  },
  {
    extensions: ['paper'],
    weight: 4,
    medianBytes: 12_000,
    sigma: 1.0,
    stems: ['Meeting notes', 'Roadmap', 'Retro', 'Onboarding', 'Brainstorm', 'Project brief', '1:1'],
  },
  {
    extensions: ['', 'bak', 'tmp', 'log', 'ini', 'dat', 'DS_Store'],
    weight: 4,
    medianBytes: 8_000,
    sigma: 2.2,
    stems: ['data', 'cache', 'output', 'session', 'debug', 'notes', 'untitled'],
  },
];

/** Folder names, mixed case and punctuation as people type them. */
export const FOLDER_WORDS: readonly string[] = [
  'Projects', 'Clients', 'Archive', 'Photos', 'Invoices', 'Marketing', 'Design', 'Engineering', 'Finance', 'HR',
  'Legal', 'Sales', 'Shared', 'Personal', 'Camera Uploads', 'Screenshots', 'Backups', 'Drafts', 'Old', 'New folder',
  'src', 'docs', 'assets', 'node_modules', 'build', 'lib', 'test', 'vendor', 'images', 'exports',
  'Q1', 'Q2', 'Q3', 'Q4', 'Team', 'Misc', 'Travel', 'Receipts', 'Taxes', 'Contracts',
  'Acme Corp', 'Globex', 'Initech', 'Umbrella', 'Stark Industries', 'Wayne Enterprises', 'Müller GmbH', 'Société Générale', 'Ødegaard AS', 'Ñandú Ltda',
  'Work in progress', 'FINAL', 'final (1)', 'Do not delete', 'To sort', 'Incoming', 'Templates', 'Resources', 'Research', 'Meetings',
];

/** Extra words for file names. */
export const NAME_WORDS: readonly string[] = [
  'final', 'v2', 'v3', 'FINAL', 'copy', 'draft', 'signed', 'scan', 'edited', 'old', 'new', 'approved', 'review', 'backup', 'export',
  'Q1', 'Q2', 'Q3', 'Q4', 'January', 'März', 'août', 'kickoff', 'client', 'team', 'Acme', 'Zoë', 'naïve', '東京', 'résumé',
];
