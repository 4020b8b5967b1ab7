/** Wire shapes of Dropbox `Metadata` as the emulator serves them (files.stone). */

export interface FileNode {
  readonly tag: 'file';
  readonly id: string;
  name: string;
  lower: string;
  display: string;
  size: number;
  rev: string;
  contentHash: string;
  serverModified: string;
  clientModified: string;
  /** Set when the file lies inside a shared or team folder, as seen by one view (world/). */
  sharing?: FileSharing;
}

export interface FolderNode {
  readonly tag: 'folder';
  readonly id: string;
  name: string;
  lower: string;
  display: string;
  /** Set on a shared-folder mount point and on folders inside one, as seen by one view (world/). */
  sharing?: FolderSharing;
}

/** `FileSharingInfo` (files.stone) for a file inside a shared folder. */
export interface FileSharing {
  readonly readOnly: boolean;
  readonly parentSharedFolderId: string;
  /** Account that last modified the file; absent when that account is gone. */
  readonly modifiedBy?: string;
}

/** `FolderSharingInfo`: `sharedFolderId` on a mount point, `parentSharedFolderId` below one. */
export interface FolderSharing {
  readonly readOnly: boolean;
  readonly sharedFolderId?: string;
  readonly parentSharedFolderId?: string;
  readonly traverseOnly: boolean;
  readonly noAccess: boolean;
}

export type TreeNode = FileNode | FolderNode;

export interface FileMetadataWire {
  '.tag': 'file';
  name: string;
  id: string;
  path_lower: string;
  path_display: string;
  client_modified: string;
  server_modified: string;
  rev: string;
  size: number;
  is_downloadable: boolean;
  content_hash: string;
  export_info?: { export_as: string; export_options: string[] };
  parent_shared_folder_id?: string;
  sharing_info?: { read_only: boolean; parent_shared_folder_id: string; modified_by?: string };
  has_explicit_shared_members?: boolean;
}

export interface FolderMetadataWire {
  '.tag': 'folder';
  name: string;
  id: string;
  path_lower: string;
  path_display: string;
  shared_folder_id?: string;
  parent_shared_folder_id?: string;
  sharing_info?: { read_only: boolean; shared_folder_id?: string; parent_shared_folder_id?: string; traverse_only: boolean; no_access: boolean };
}

export interface DeletedMetadataWire {
  '.tag': 'deleted';
  name: string;
  path_lower: string;
  path_display: string;
}

export type MetadataWire = FileMetadataWire | FolderMetadataWire | DeletedMetadataWire;

/** Serialises a node; optional fields that are unset are omitted, never sent as null. */
export function toWire(node: TreeNode): FileMetadataWire | FolderMetadataWire {
  if (node.tag === 'folder') {
    const folder: FolderMetadataWire = { '.tag': 'folder', name: node.name, id: node.id, path_lower: node.lower, path_display: node.display };
    if (node.sharing) {
      const { readOnly, sharedFolderId, parentSharedFolderId, traverseOnly, noAccess } = node.sharing;
      // The deprecated top-level fields mirror sharing_info, as Dropbox still sends them.
      if (sharedFolderId !== undefined) folder.shared_folder_id = sharedFolderId;
      if (parentSharedFolderId !== undefined) folder.parent_shared_folder_id = parentSharedFolderId;
      folder.sharing_info = { read_only: readOnly, traverse_only: traverseOnly, no_access: noAccess };
      if (sharedFolderId !== undefined) folder.sharing_info.shared_folder_id = sharedFolderId;
      if (parentSharedFolderId !== undefined) folder.sharing_info.parent_shared_folder_id = parentSharedFolderId;
    }
    return folder;
  }
  const paper = isNonDownloadableName(node.name);
  const file: FileMetadataWire = {
    '.tag': 'file',
    name: node.name,
    id: node.id,
    path_lower: node.lower,
    path_display: node.display,
    client_modified: node.clientModified,
    server_modified: node.serverModified,
    rev: node.rev,
    size: node.size,
    is_downloadable: !paper,
    content_hash: node.contentHash,
  };
  // files.stone: export_info must be set whenever is_downloadable is false.
  if (paper) file.export_info = { export_as: 'html', export_options: ['html', 'markdown'] };
  if (node.sharing) {
    file.parent_shared_folder_id = node.sharing.parentSharedFolderId;
    file.sharing_info = { read_only: node.sharing.readOnly, parent_shared_folder_id: node.sharing.parentSharedFolderId };
    if (node.sharing.modifiedBy !== undefined) file.sharing_info.modified_by = node.sharing.modifiedBy;
  }
  return file;
}

/** Paper docs (`.paper`) cannot be downloaded, only exported. */
export function isNonDownloadableName(name: string): boolean {
  return name.toLowerCase().endsWith('.paper');
}

/**
 * Whether a listing entry survives `include_non_downloadable_files: false`: Paper docs and other
 * export-only files are left out, everything else (including deletions) stays.
 */
export function keptWithoutNonDownloadable(entry: MetadataWire): boolean {
  return !(entry['.tag'] === 'file' && !entry.is_downloadable);
}

export function deletedWire(node: TreeNode): DeletedMetadataWire {
  return { '.tag': 'deleted', name: node.name, path_lower: node.lower, path_display: node.display };
}

/** `DropboxTimestamp`: UTC, second precision, literal Z, never milliseconds. */
export function dropboxTimestamp(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
