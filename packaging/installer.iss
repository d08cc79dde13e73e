; Inno Setup 6 script: per-user installer for Armed Policing Options Appraisal.
;
; Built by packaging/build.py --installer (or build.ps1), which passes the version
; read from the package (desktop_app.__version__):
;
;   ISCC /DMyAppVersion=0.1.0 /DMyAppNumericVersion=0.1.0.0 ^
;        /DSourceDir=packaging\dist\armed-options /DOutputDir=packaging\dist\installer ^
;        packaging\installer.iss
;
; Why per-user (PrivilegesRequired=lowest): officers on managed laptops are not
; local administrators. The app installs to %LOCALAPPDATA%\Programs\Armed Policing
; Options, its shortcut goes to the user's Start menu, and the uninstaller is
; registered under HKCU, so no UAC prompt ever appears.
;
; Signing: when build.py is run with --sign it defines SignToolName and passes
; /S<name>=<signtool command>; Inno Setup then signs setup.exe AND the
; uninstaller it generates (SignedUninstaller). The app's own .exe files are
; signed before this script runs (see docs/packaging.md).

#ifndef MyAppVersion
  #error Pass the version: ISCC /DMyAppVersion=x.y.z (packaging/build.py does this from desktop_app.__version__)
#endif
#ifndef MyAppNumericVersion
  #define MyAppNumericVersion MyAppVersion
#endif
#ifndef SourceDir
  #define SourceDir "dist\armed-options"
#endif
#ifndef OutputDir
  #define OutputDir "dist\installer"
#endif

#define MyAppName "Armed Policing Options Appraisal"
#define MyAppShortName "Armed Policing Options"
#define MyAppPublisher "Armed Policing Options Appraisal team"
; The Start-menu target: the windowed launcher (no console window).
#define MyAppExeName "armed-options-gui.exe"

[Setup]
; AppId identifies the app for upgrades and uninstall: never change it.
AppId={{C34DB03E-A32B-41A8-BEBB-CA0E54E92295}
AppName={#MyAppName}
AppVersion={#MyAppVersion}
AppVerName={#MyAppName} {#MyAppVersion}
AppPublisher={#MyAppPublisher}
VersionInfoVersion={#MyAppNumericVersion}
VersionInfoProductName={#MyAppName}
VersionInfoDescription={#MyAppName} setup
; Per-user install, no elevation and no prompt. IT can still deploy per-machine
; (to Program Files, write-protected for users) from an elevated command line:
;   setup.exe /ALLUSERS /VERYSILENT /SUPPRESSMSGBOXES /NORESTART
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=commandline
; With PrivilegesRequired=lowest, {autopf} is {userpf} = %LOCALAPPDATA%\Programs
; (per machine, /ALLUSERS: {commonpf} = Program Files). InstallRoot in [Code] returns
; {autopf}, falling back to {localappdata}\Programs only where the system cannot
; name the per-user Program Files folder (Wine 8 has no FOLDERID_UserProgramFiles).
DefaultDirName={code:InstallRoot}\{#MyAppShortName}
DefaultGroupName={#MyAppName}
DisableProgramGroupPage=yes
DisableDirPage=auto
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#OutputDir}
OutputBaseFilename=ArmedPolicingOptions-{#MyAppVersion}-setup
SetupIconFile=..\resources\app_icon.ico
UninstallDisplayIcon={app}\{#MyAppExeName}
UninstallDisplayName={#MyAppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; Close a running copy before replacing its files.
CloseApplications=yes
RestartApplications=no
#ifdef SignToolName
SignTool={#SignToolName}
SignedUninstaller=yes
#endif

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade must not leave the previous version's libraries beside the new ones.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
; The whole one-folder build, except the build-time self-check executable.
Source: "{#SourceDir}\*"; DestDir: "{app}"; Excludes: "armed-options-selfcheck*"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#MyAppName}"; Filename: "{app}\{#MyAppExeName}"; WorkingDir: "{userdocs}"; Comment: "Coverage, cost and appraisal of armed response options"
Name: "{autoprograms}\{#MyAppName} documentation"; Filename: "{app}\_internal\docs"; Comment: "User guide and method notes"
Name: "{autodesktop}\{#MyAppName}"; Filename: "{app}\{#MyAppExeName}"; WorkingDir: "{userdocs}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#MyAppExeName}"; Description: "{cm:LaunchProgram,{#StringChange(MyAppName, '&', '&&')}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Nothing outside {app} is written by the installer; user files (workbooks,
; summaries, sessions) live where the user saved them and are never removed.
Type: dirifempty; Name: "{app}"

[Code]
// The install root: {autopf}. Windows 7 and later always name {userpf}
// (FOLDERID_UserProgramFiles, by default %LOCALAPPDATA%\Programs), so there this
// is exactly {autopf}. Wine 8 does not implement that known folder and Inno Setup
// stops with "Failed to expand shell folder constant", so for a per-user install
// we fall back to Windows' own default for it. packaging/check_installer.sh runs
// the fallback under Wine; Windows takes the first branch.
function InstallRoot(Param: String): String;
begin
  try
    Result := ExpandConstant('{autopf}');
  except
    if IsAdminInstallMode then
      RaiseException(GetExceptionMessage);
    Result := ExpandConstant('{localappdata}\Programs');
    Log('InstallRoot: {autopf} is not available here (' + GetExceptionMessage + '); using ' + Result);
  end;
end;
