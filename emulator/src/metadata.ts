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
}

export interface FolderNode {
  readonly tag: 'folder';
  readonly id: string;
  name: string;
  lower: string;
  display: string;
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
}

export interface FolderMetadataWire {
  '.tag': 'folder';
  name: string;
  id: string;
  path_lower: string;
  path_display: string;
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
    return { '.tag': 'folder', name: node.name, id: node.id, path_lower: node.lower, path_display: node.display };
  }
  return {
    '.tag': 'file',
    name: node.name,
    id: node.id,
    path_lower: node.lower,
    path_display: node.display,
    client_modified: node.clientModified,
    server_modified: node.serverModified,
    rev: node.rev,
    size: node.size,
    is_downloadable: true,
    content_hash: node.contentHash,
  };
}

export function deletedWire(node: TreeNode): DeletedMetadataWire {
  return { '.tag': 'deleted', name: node.name, path_lower: node.lower, path_display: node.display };
}

/** `DropboxTimestamp`: UTC, second precision, literal Z, never milliseconds. */
export function dropboxTimestamp(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
