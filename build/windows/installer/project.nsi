Unicode true

####
## Please note: Template replacements don't work in this file. They are provided with default defines like
## mentioned underneath.
## If the keyword is not defined, "wails_tools.nsh" will populate them with the values from ProjectInfo.
## If they are defined here, "wails_tools.nsh" will not touch them. This allows to use this project.nsi manually
## from outside of Wails for debugging and development of the installer.
##
## For development first make a wails nsis build to populate the "wails_tools.nsh":
## > wails build --target windows/amd64 --nsis
## Then you can call makensis on this file with specifying the path to your binary:
## For a AMD64 only installer:
## > makensis -DARG_WAILS_AMD64_BINARY=..\..\bin\app.exe
## For a ARM64 only installer:
## > makensis -DARG_WAILS_ARM64_BINARY=..\..\bin\app.exe
## For a installer with both architectures:
## > makensis -DARG_WAILS_AMD64_BINARY=..\..\bin\app-amd64.exe -DARG_WAILS_ARM64_BINARY=..\..\bin\app-arm64.exe
####
## The following information is taken from the ProjectInfo file, but they can be overwritten here.
####
## !define INFO_PROJECTNAME    "MyProject" # Default "{{.Name}}"
## !define INFO_COMPANYNAME    "MyCompany" # Default "{{.Info.CompanyName}}"
## !define INFO_PRODUCTNAME    "MyProduct" # Default "{{.Info.ProductName}}"
## !define INFO_PRODUCTVERSION "1.0.0"     # Default "{{.Info.ProductVersion}}"
## !define INFO_COPYRIGHT      "Copyright" # Default "{{.Info.Copyright}}"
###
## !define PRODUCT_EXECUTABLE  "Application.exe"      # Default "${INFO_PROJECTNAME}.exe"
## !define UNINST_KEY_NAME     "UninstKeyInRegistry"  # Default "${INFO_COMPANYNAME}${INFO_PRODUCTNAME}"
####
## !define REQUEST_EXECUTION_LEVEL "admin"            # Default "admin"  see also https://nsis.sourceforge.io/Docs/Chapter4.html
####
## Include the wails tools
####
!include "wails_tools.nsh"

# The version information for this two must consist of 4 parts
VIProductVersion "${INFO_PRODUCTVERSION}.0"
VIFileVersion    "${INFO_PRODUCTVERSION}.0"

VIAddVersionKey "CompanyName"     "${INFO_COMPANYNAME}"
VIAddVersionKey "FileDescription" "${INFO_PRODUCTNAME} Installer"
VIAddVersionKey "ProductVersion"  "${INFO_PRODUCTVERSION}"
VIAddVersionKey "FileVersion"     "${INFO_PRODUCTVERSION}"
VIAddVersionKey "LegalCopyright"  "${INFO_COPYRIGHT}"
VIAddVersionKey "ProductName"     "${INFO_PRODUCTNAME}"

# Enable HiDPI support. https://nsis.sourceforge.io/Reference/ManifestDPIAware
ManifestDPIAware true

!include "MUI.nsh"
!include "nsDialogs.nsh"
!include "LogicLib.nsh"

!define MUI_ICON "..\icon.ico"
!define MUI_UNICON "..\icon.ico"
# !define MUI_WELCOMEFINISHPAGE_BITMAP "resources\leftimage.bmp" #Include this to add a bitmap on the left side of the Welcome Page. Must be a size of 164x314
!define MUI_FINISHPAGE_NOAUTOCLOSE # Wait on the INSTFILES page so the user can take a look into the details of the installation steps
!define MUI_ABORTWARNING # This will warn the user if they exit from the installer.

!insertmacro MUI_PAGE_WELCOME # Welcome to the installer page.
# !insertmacro MUI_PAGE_LICENSE "resources\eula.txt" # Adds a EULA page to the installer
!insertmacro MUI_PAGE_DIRECTORY # In which folder install page.
Page custom PosteTypePage PosteTypeLeave # Which kind of PC this is (docs/guide/postes.md).
!insertmacro MUI_PAGE_INSTFILES # Installing page.
!insertmacro MUI_PAGE_FINISH # Finished installation page.

!insertmacro MUI_UNPAGE_INSTFILES # Uinstalling page

!insertmacro MUI_LANGUAGE "French" # The installer speaks the users' language

## The following two statements can be used to sign the installer and the uninstaller. The path to the binaries are provided in %1
#!uninstfinalize 'signtool --file "%1"'
#!finalize 'signtool --file "%1"'

Name "${INFO_PRODUCTNAME}"
OutFile "..\..\bin\${INFO_PROJECTNAME}-${ARCH}-installer.exe" # Name of the installer's file.
!ifdef WAILS_INSTALL_SCOPE
  !if "${WAILS_INSTALL_SCOPE}" == "user"
    InstallDir "$LOCALAPPDATA\Programs\${INFO_PRODUCTNAME}"
  !else
    InstallDir "$PROGRAMFILES64\${INFO_COMPANYNAME}\${INFO_PRODUCTNAME}"
  !endif
!else
  InstallDir "$PROGRAMFILES64\${INFO_COMPANYNAME}\${INFO_PRODUCTNAME}"
!endif # Default installing folder ($PROGRAMFILES is Program Files folder).
ShowInstDetails show # This will always show the installation details.

# The kind of PC (issue 12, docs/guide/postes.md): the poste principal keeps the office's data
# file and serves the other PCs, so its port is opened in the Windows firewall, for private
# networks only; a poste secondaire (a second counter) or a borne opens on the pairing screen
# (the shortcuts' --appairer, read by the app until the PC is paired); a borne also starts with
# the Windows session. The role of a secondary (guichet or borne) comes from the principal.
!define POSTES_PORT "47650"
!define POSTES_RULE "RDV Guichet - postes du bureau"
Var PosteType # principal | secondaire | borne
Var RadioPrincipal
Var RadioSecondaire
Var RadioBorne

Function .onInit
   !insertmacro wails.checkArchitecture
   StrCpy $PosteType "principal"
FunctionEnd

Function PosteTypePage
    !insertmacro MUI_HEADER_TEXT "Type de poste" "Quel est le rôle de ce PC dans le bureau ?"
    nsDialogs::Create 1018
    Pop $0
    ${NSD_CreateRadioButton} 0 0 100% 12u "&Poste principal : ce PC garde l'agenda du bureau"
    Pop $RadioPrincipal
    ${NSD_CreateLabel} 12u 13u -12u 20u "Les autres PC du bureau travaillent sur son agenda. Le port ${POSTES_PORT} est ouvert dans le pare-feu Windows, pour les réseaux privés seulement."
    Pop $0
    ${NSD_CreateRadioButton} 0 40u 100% 12u "Poste &secondaire : un autre guichet du bureau"
    Pop $RadioSecondaire
    ${NSD_CreateLabel} 12u 53u -12u 20u "Au premier démarrage, RDV Guichet demande l'adresse du poste principal et un code d'appairage."
    Pop $0
    ${NSD_CreateRadioButton} 0 80u 100% 12u "&Borne d'accueil : l'écran tactile du hall"
    Pop $RadioBorne
    ${NSD_CreateLabel} 12u 93u -12u 20u "Appairée au poste principal comme un poste secondaire ; elle s'ouvre à chaque ouverture de session Windows."
    Pop $0
    ${If} $PosteType == "secondaire"
        ${NSD_Check} $RadioSecondaire
    ${ElseIf} $PosteType == "borne"
        ${NSD_Check} $RadioBorne
    ${Else}
        ${NSD_Check} $RadioPrincipal
    ${EndIf}
    nsDialogs::Show
FunctionEnd

Function PosteTypeLeave
    StrCpy $PosteType "principal"
    ${NSD_GetState} $RadioSecondaire $0
    ${If} $0 == ${BST_CHECKED}
        StrCpy $PosteType "secondaire"
    ${EndIf}
    ${NSD_GetState} $RadioBorne $0
    ${If} $0 == ${BST_CHECKED}
        StrCpy $PosteType "borne"
    ${EndIf}
FunctionEnd

Section
    !insertmacro wails.setShellContext

    !insertmacro wails.webview2runtime

    SetOutPath $INSTDIR

    !insertmacro wails.files

    # A secondary opens on the pairing screen until it is paired (then on the principal's agenda).
    StrCpy $1 ""
    ${If} $PosteType != "principal"
        StrCpy $1 "--appairer"
    ${EndIf}
    CreateShortcut "$SMPROGRAMS\${INFO_PRODUCTNAME}.lnk" "$INSTDIR\${PRODUCT_EXECUTABLE}" "$1"
    CreateShortCut "$DESKTOP\${INFO_PRODUCTNAME}.lnk" "$INSTDIR\${PRODUCT_EXECUTABLE}" "$1"
    ${If} $PosteType == "borne"
        CreateShortCut "$SMSTARTUP\${INFO_PRODUCTNAME}.lnk" "$INSTDIR\${PRODUCT_EXECUTABLE}" "$1"
    ${EndIf}
    ${If} $PosteType == "principal"
        # Private networks only: the office's network must be declared private in Windows.
        nsExec::ExecToLog 'netsh advfirewall firewall delete rule name="${POSTES_RULE}"'
        Pop $0
        nsExec::ExecToLog 'netsh advfirewall firewall add rule name="${POSTES_RULE}" dir=in action=allow protocol=TCP localport=${POSTES_PORT} profile=private program="$INSTDIR\${PRODUCT_EXECUTABLE}"'
        Pop $0
        ${If} $0 != "0"
            DetailPrint "Pare-feu Windows : la règle « ${POSTES_RULE} » n'a pas pu être ajoutée ($0) ; voir docs/guide/postes.md."
        ${EndIf}
    ${EndIf}
    # The lobby kiosk is the same program in kiosk mode (docs/guide/borne.md).
    CreateShortcut "$SMPROGRAMS\${INFO_PRODUCTNAME} — borne.lnk" "$INSTDIR\${PRODUCT_EXECUTABLE}" "--borne"

    !insertmacro wails.associateFiles
    !insertmacro wails.associateCustomProtocols

    !insertmacro wails.writeUninstaller
SectionEnd

Section "uninstall"
    !insertmacro wails.setShellContext

    RMDir /r "$AppData\${PRODUCT_EXECUTABLE}" # Remove the WebView2 DataPath

    RMDir /r $INSTDIR

    Delete "$SMPROGRAMS\${INFO_PRODUCTNAME}.lnk"
    Delete "$DESKTOP\${INFO_PRODUCTNAME}.lnk"
    Delete "$SMSTARTUP\${INFO_PRODUCTNAME}.lnk"
    nsExec::ExecToLog 'netsh advfirewall firewall delete rule name="${POSTES_RULE}"'
    Pop $0
    Delete "$SMPROGRAMS\${INFO_PRODUCTNAME} — borne.lnk"

    !insertmacro wails.unassociateFiles
    !insertmacro wails.unassociateCustomProtocols

    !insertmacro wails.deleteUninstaller
SectionEnd
