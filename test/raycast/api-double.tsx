// Placeholder until the full double lands; replaced by the Raycast test double.
export {};
